using ApprovalBot.Agreements;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.UnitTests.Domain.Approvals;

namespace ApprovalBot.UnitTests.Agreements;

/// <summary>How a name typed in chat finds an agreement: the one rule of <c>escalate</c>, <c>list</c> and <c>who</c>.</summary>
public class ActiveAgreementNamesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static readonly Agreement[] Agreements =
        [.. new[] { "Contoso help desk", "Contoso field service", "Contoso", "Fabrikam" }.Select(n => Agreement.CreateDraft(n, SampleTerms.Complete(), People.Alice, At))];

    private static string[] Names(string typed) => [.. ActiveAgreementNames.Match(Agreements, typed).Select(a => a.Name)];

    [Fact]
    public void Match_PrefersTheExactName_InAnyCase_OverNamesThatBeginWithIt() =>
        Assert.Equal(["Contoso"], Names("CONTOSO"));

    [Fact]
    public void Match_TakesAUniqueBeginning() =>
        Assert.Equal(["Fabrikam"], Names(" fab "));

    [Fact]
    public void Match_ReturnsEveryCandidateByName_WhenTheBeginningIsAmbiguous() =>
        Assert.Equal(["Contoso", "Contoso field service", "Contoso help desk"], Names("cont"));

    [Theory]
    [InlineData("", null)]
    [InlineData("Northwind", "No active agreement is called 'Northwind'.")]
    public void Problem_SaysWhatIsWrong_WhenThereIsNoneOrSeveral(string typed, string? expected)
    {
        var found = ActiveAgreementNames.Match(Agreements, typed);

        Assert.Empty(found);
        if (expected is not null) Assert.Equal(expected, ActiveAgreementNames.Problem(typed, found));
    }

    [Fact]
    public void Problem_ListsTheChoices_WhenSeveralMatch_AndIsNullForOne()
    {
        Assert.Equal("'cont' could be Contoso, Contoso field service, Contoso help desk. Which one?", ActiveAgreementNames.Problem("cont", ActiveAgreementNames.Match(Agreements, "cont")));
        Assert.Null(ActiveAgreementNames.Problem("fab", ActiveAgreementNames.Match(Agreements, "fab")));
    }
}
