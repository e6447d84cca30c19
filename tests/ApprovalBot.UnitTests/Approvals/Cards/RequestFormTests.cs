using System.Text.Json;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.UnitTests.Approvals.Cards;

public class RequestFormTests
{
    private static readonly string[] Flows = ["IT support agreement", "Purchase over 10k"];

    private static readonly RequestFormValues Valid = new("New laptops", "Ten laptops", "Quote", "https://contoso.example/quote.pdf", "Purchase over 10k", null, null);

    private static JsonElement Data(object value) => JsonSerializer.SerializeToElement(value);

    [Fact]
    public void Parse_ReadsEveryInput_Trimmed()
    {
        var values = RequestForm.Parse(Data(new
        {
            title = "  New laptops ",
            details = "Ten\nlaptops\n",
            linkTitle = "Quote",
            link = " https://contoso.example/q.pdf",
            flow = "Purchase over 10k",
            approvers = "dana@contoso.example; lee@contoso.example",
            rule = "all",
        }));

        Assert.Equal(new RequestFormValues("New laptops", "Ten\nlaptops", "Quote", "https://contoso.example/q.pdf", "Purchase over 10k", "dana@contoso.example; lee@contoso.example", "all"), values);
    }

    [Fact]
    public void Parse_ReadsJunkAsNull_WhenValuesAreMissingBlankOrNotStrings()
    {
        var values = RequestForm.Parse(Data(new
        {
            title = 42,
            details = new List<string> { "a" },
            linkTitle = new { x = 1 },
            link = true,
            flow = (string?)null,
            approvers = "   ",
            verb = "approval.submit",
        }));

        Assert.Equal(new RequestFormValues(null, null, null, null, null, null, null), values);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("17")]
    public void Parse_ReadsNothing_WhenTheDataIsNotAnObject(string json)
    {
        Assert.Equal(new RequestFormValues(null, null, null, null, null, null, null), RequestForm.Parse(JsonDocument.Parse(json).RootElement));
        Assert.Equal(new RequestFormValues(null, null, null, null, null, null, null), RequestForm.Parse(null));
    }

    [Fact]
    public void Parse_ReadsTheNoFlowChoice_AsNoFlow()
    {
        Assert.Null(RequestForm.Parse(Data(new { flow = RequestForm.NoFlow })).Flow);
    }

    [Fact]
    public void Parse_UndoesTheRenderersBraceGuard_WhenAValueComesBackFromARefilledForm()
    {
        var refilled = CardText.Neutralise("Budget {{DATE(2026-01-01T00:00:00Z)}} and {{{x}}}");

        var values = RequestForm.Parse(Data(new { title = refilled }));

        Assert.Equal("Budget {{DATE(2026-01-01T00:00:00Z)}} and {{{x}}}", values.Title);
    }

    [Fact]
    public void Validate_AcceptsACompleteForm_WithAFlow()
    {
        Assert.Empty(RequestForm.Validate(Valid, Flows));
    }

    [Fact]
    public void Validate_AcceptsNamedApprovers_WithoutAFlowOrLink()
    {
        var values = Valid with { Flow = null, Approvers = "dana@contoso.example, lee@contoso.example", Rule = "all", Link = null, LinkTitle = null };

        Assert.Empty(RequestForm.Validate(values, Flows));
    }

    [Fact]
    public void Validate_RequiresATitle_OfAtMost200Characters()
    {
        Assert.Equal("Give the request a title.", RequestForm.Validate(Valid with { Title = null }, Flows)[RequestFormFields.Title]);
        Assert.Empty(RequestForm.Validate(Valid with { Title = new string('t', ApprovalRequest.MaxTitleLength) }, Flows));
        Assert.Contains("at most 200", RequestForm.Validate(Valid with { Title = new string('t', 201) }, Flows)[RequestFormFields.Title], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LimitsTheDetails_To4000Characters()
    {
        Assert.Empty(RequestForm.Validate(Valid with { Details = new string('d', 4000) }, Flows));
        Assert.Contains("at most 4000", RequestForm.Validate(Valid with { Details = new string('d', 4001) }, Flows)[RequestFormFields.Details], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LimitsTheLinkTitle_To200Characters()
    {
        Assert.True(RequestForm.Validate(Valid with { LinkTitle = new string('l', 201) }, Flows).ContainsKey(RequestFormFields.LinkTitle));
    }

    [Theory]
    [InlineData("https://contoso.example/quote.pdf", true)]
    [InlineData("https://contoso.sharepoint.com/sites/x/Shared%20Documents/q.docx?web=1", true)]
    [InlineData("http://contoso.example/quote.pdf", false)]
    [InlineData("contoso.example/quote.pdf", false)]
    [InlineData("/quote.pdf", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("file:///c:/quote.pdf", false)]
    [InlineData("https://user:secret@contoso.example/q.pdf", false)]
    [InlineData("https://user@contoso.example/q.pdf", false)]
    [InlineData("ftp://contoso.example/q.pdf", false)]
    public void Validate_AcceptsALink_ExactlyWhenTheDomainsRequestLinkDoes(string url, bool valid)
    {
        var errors = RequestForm.Validate(Valid with { Link = url }, Flows);

        Assert.Equal(valid, !errors.ContainsKey(RequestFormFields.Link));
        Assert.Equal(valid, DomainAccepts(url));
    }

    [Fact]
    public void Validate_RefusesALinkOverTheDomainsLength()
    {
        var url = "https://contoso.example/" + new string('a', RequestLink.MaxUrlLength);

        Assert.Contains("at most 2000", RequestForm.Validate(Valid with { Link = url }, Flows)[RequestFormFields.Link], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AsksForTheLinkItself_WhenOnlyItsTitleIsGiven()
    {
        var errors = RequestForm.Validate(Valid with { Link = null, LinkTitle = "Quote" }, Flows);

        Assert.Equal("Give the link's address, or clear its title.", errors[RequestFormFields.Link]);
    }

    [Fact]
    public void Validate_RefusesAFlowAndApproversTogether()
    {
        var errors = RequestForm.Validate(Valid with { Approvers = "dana@contoso.example" }, Flows);

        Assert.Equal("Choose a flow or name the approvers, not both.", Assert.Single(errors).Value);
        Assert.Equal(RequestFormFields.Approvers, errors.Single().Key);
    }

    [Fact]
    public void Validate_AsksForAFlowOrApprovers_WhenNeitherIsGiven()
    {
        var errors = RequestForm.Validate(Valid with { Flow = null }, Flows);

        Assert.Equal("Choose a flow, or name the approvers below.", errors[RequestFormFields.Flow]);
        Assert.Single(errors);
    }

    [Fact]
    public void Validate_AsksForApprovers_WhenThereAreNoFlowsToChoose()
    {
        var errors = RequestForm.Validate(Valid with { Flow = null }, []);

        Assert.Equal("Name at least one approver.", errors[RequestFormFields.Approvers]);
        Assert.Single(errors);
    }

    [Fact]
    public void Validate_RefusesAFlowThatIsNotAmongTheKnownOnes_IgnoringCase()
    {
        Assert.Equal(RequestFormFields.Flow, Assert.Single(RequestForm.Validate(Valid with { Flow = "Deleted flow" }, Flows)).Key);
        Assert.Empty(RequestForm.Validate(Valid with { Flow = "purchase OVER 10k" }, Flows));
    }

    [Theory]
    [InlineData("dana@contoso.example")]
    [InlineData("dana.reviewer@contoso.example; lee@sub.contoso.example")]
    [InlineData("dana@contoso.example, lee@contoso.example;\nkim@contoso.example")]
    [InlineData("dana@contoso.example;;  ,lee@contoso.example,")]
    [InlineData("Dana@Contoso.example; dana@contoso.example")]
    public void Validate_AcceptsApproverLists(string approvers)
    {
        Assert.Empty(RequestForm.Validate(Valid with { Flow = null, Approvers = approvers }, Flows));
    }

    [Theory]
    [InlineData("dana")]
    [InlineData("dana@contoso")]
    [InlineData("@contoso.example")]
    [InlineData("dana@@contoso.example")]
    [InlineData("dana@contoso..example")]
    [InlineData("dana@.contoso.example")]
    [InlineData("dana reviewer@contoso.example")]
    [InlineData("Dana <dana@contoso.example>")]
    [InlineData("dana@contoso.example lee@contoso.example")]
    [InlineData("<at>Dana</at>")]
    public void Validate_RefusesEntriesThatAreNotAddresses(string entry)
    {
        var errors = RequestForm.Validate(Valid with { Flow = null, Approvers = "kim@contoso.example; " + entry }, Flows);

        var message = errors[RequestFormFields.Approvers];
        Assert.Contains("not an address", message, StringComparison.Ordinal);
        Assert.Contains(entry.Trim(), message, StringComparison.Ordinal);
        Assert.DoesNotContain("kim@", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RefusesAnAddressLongerThanAPersonId()
    {
        var address = new string('a', PersonId.MaxLength) + "@contoso.example";

        Assert.True(RequestForm.Validate(Valid with { Flow = null, Approvers = address }, Flows).ContainsKey(RequestFormFields.Approvers));
    }

    [Fact]
    public void Validate_AllowsAtMost25Approvers_CountingDuplicatesOnce()
    {
        string List(int n) => string.Join("; ", Enumerable.Range(1, n).Select(i => $"person{i}@contoso.example"));

        Assert.Empty(RequestForm.Validate(Valid with { Flow = null, Approvers = List(25) + "; PERSON1@contoso.example" }, Flows));
        Assert.Equal("Name at most 25 approvers; this lists 26.", RequestForm.Validate(Valid with { Flow = null, Approvers = List(26) }, Flows)[RequestFormFields.Approvers]);
    }

    [Theory]
    [InlineData("any", true)]
    [InlineData("all", true)]
    [InlineData("ALL", true)]
    [InlineData("some", false)]
    [InlineData("2", false)]
    public void Validate_AcceptsOnlyAnyOrAll_AsTheRule(string rule, bool valid)
    {
        Assert.Equal(valid, !RequestForm.Validate(Valid with { Rule = rule }, Flows).ContainsKey(RequestFormFields.Rule));
    }

    [Fact]
    public void Validate_ReportsEveryProblemAtOnce()
    {
        var values = new RequestFormValues(null, new string('d', 4001), new string('l', 201), "http://x", "Nope", "bad", "some");

        var errors = RequestForm.Validate(values, Flows);

        Assert.Equal(
            new[] { RequestFormFields.Title, RequestFormFields.Details, RequestFormFields.LinkTitle, RequestFormFields.Link, RequestFormFields.Approvers, RequestFormFields.Flow, RequestFormFields.Rule }.Order(),
            errors.Keys.Order());
    }

    [Fact]
    public void ApproverAddresses_SplitsTrimsAndDropsDuplicates_IgnoringCase()
    {
        var values = Valid with { Approvers = " dana@contoso.example ;lee@contoso.example,, DANA@contoso.example\nkim@contoso.example ;" };

        Assert.Equal(["dana@contoso.example", "lee@contoso.example", "kim@contoso.example"], RequestForm.ApproverAddresses(values));
        Assert.Empty(RequestForm.ApproverAddresses(Valid));
    }

    [Fact]
    public void Link_IsTheDomainsLink_TitledWithTheHost_WhenUntitled()
    {
        Assert.Null(RequestForm.Link(Valid with { Link = null, LinkTitle = null }));
        Assert.Equal(new RequestLink("Quote", "https://contoso.example/quote.pdf"), RequestForm.Link(Valid));
        Assert.Equal("contoso.example", RequestForm.Link(Valid with { LinkTitle = null })!.Title);
    }

    [Fact]
    public void DecisionRuleOf_IsAll_OnlyForAll()
    {
        Assert.Same(DecisionRule.All, RequestForm.DecisionRuleOf(Valid with { Rule = "All" }));
        Assert.Same(DecisionRule.Any, RequestForm.DecisionRuleOf(Valid with { Rule = "any" }));
        Assert.Same(DecisionRule.Any, RequestForm.DecisionRuleOf(Valid with { Rule = null }));
    }

    private static bool DomainAccepts(string url)
    {
        try
        {
            _ = new RequestLink("Quote", url);
            return true;
        }
        catch (DomainException)
        {
            return false;
        }
    }
}
