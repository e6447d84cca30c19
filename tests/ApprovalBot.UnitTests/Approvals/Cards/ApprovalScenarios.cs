using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.UnitTests.Domain.Approvals;

namespace ApprovalBot.UnitTests.Approvals.Cards;

/// <summary>Real requests, built and decided through the domain API, and the context a card is rendered in.</summary>
internal static class ApprovalScenarios
{
    /// <summary>Monday 23 November 2026, 09:00 UTC (10:00 in Berlin).</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public static readonly IReadOnlyDictionary<PersonId, string> Names = new Dictionary<PersonId, string>
    {
        [People.Alice] = "Alice Adams",
        [People.Bob] = "Bob Brown",
        [People.Carol] = "Carol Clark",
        [People.Lena] = "Lena Lopez",
        [People.Leo] = "Leo Lang",
        [People.Lou] = "Lou Lee",
        [People.Mia] = "Megan Bowen",
        [People.Max] = "Max Meyer",
        [People.Zed] = "Zed Zimmer",
        [People.Dan] = "Dan Diaz",
    };

    /// <summary>Manager (any one, 8 h) → Legal (any one, 24 h) → Management (all, 16 h), around the clock.</summary>
    public static ApprovalFlow Flow() => ApprovalFlow.Create("Purchases",
    [
        new StageDefinition("Department manager", ApproverRule.RequesterManager(), DecisionRule.Any, TimeSpan.FromHours(8)),
        new StageDefinition("Legal", ApproverRule.Group(BuiltInFlows.LegalGroup), DecisionRule.Any, TimeSpan.FromHours(24), description: "Compliance review of the contract"),
        new StageDefinition("Management", ApproverRule.Group(BuiltInFlows.ManagementGroup), DecisionRule.All, TimeSpan.FromHours(16), description: "Final sign-off"),
    ]);

    public static Task<ApprovalRequest> Submit(ApprovalFlow? flow = null, FakeDirectory? directory = null, string title = "Ten laptops for the help desk", string details = "Replacing the five-year-old fleet before the warranty ends.") =>
        ApprovalRequest.SubmitAsync(
            new NewApprovalRequest(title, details, People.Alice, ApprovalSubject.Other("PO-2026-117"),
                [new RequestLink("Quote from Contoso", "https://contoso.example/quotes/117.pdf"), new RequestLink("Budget sheet", "https://contoso.example/budget")]),
            flow ?? Flow(), directory ?? FakeDirectory.Standard(), AroundTheClockCalendar.Instance, Start);

    /// <summary>Stage 1 approved by Bob, one hour in: Legal (Lena, Leo, Lou) decides now.</summary>
    public static async Task<ApprovalRequest> AtLegal()
    {
        var request = await Submit();
        Accepted(await request.ApproveAsync(People.Bob, request.CurrentCard, "Fine by me, within budget.", FakeDirectory.Standard(), AroundTheClockCalendar.Instance, Start.AddHours(1)));
        return request;
    }

    public static async Task<ApprovalRequest> Approved()
    {
        var request = await AtLegal();
        Accepted(await request.ApproveAsync(People.Lena, request.CurrentCard, null, FakeDirectory.Standard(), AroundTheClockCalendar.Instance, Start.AddHours(3)));
        Accepted(await request.ApproveAsync(People.Mia, request.CurrentCard, "Go ahead.", FakeDirectory.Standard(), AroundTheClockCalendar.Instance, Start.AddHours(5)));
        Accepted(await request.ApproveAsync(People.Max, request.CurrentCard, "Approved for Q4.", FakeDirectory.Standard(), AroundTheClockCalendar.Instance, Start.AddHours(6)));
        return request;
    }

    public static async Task<ApprovalRequest> Rejected()
    {
        var request = await AtLegal();
        Accepted(request.Reject(People.Leo, request.CurrentCard, "The contract has no liability cap; we cannot sign it like this.", Start.AddHours(2)));
        return request;
    }

    public static async Task<ApprovalRequest> ChangesRequested()
    {
        var request = await AtLegal();
        Accepted(request.RequestChanges(People.Lena, request.CurrentCard, "Please attach the warranty terms.", Start.AddHours(2)));
        return request;
    }

    /// <summary>Changes requested at Legal, resubmitted as revision 2, now at Legal again.</summary>
    public static async Task<ApprovalRequest> Resubmitted()
    {
        var request = await ChangesRequested();
        await request.ResubmitAsync(People.Alice, new Resubmission("Warranty terms attached."), FakeDirectory.Standard(), AroundTheClockCalendar.Instance, Start.AddHours(4));
        return request;
    }

    /// <summary>Legal approved, but the Management group is missing from the directory.</summary>
    public static async Task<ApprovalRequest> Blocked()
    {
        var directory = FakeDirectory.Standard();
        directory.Groups.Remove(BuiltInFlows.ManagementGroup);
        var request = await Submit(directory: directory);
        Accepted(await request.ApproveAsync(People.Bob, request.CurrentCard, null, directory, AroundTheClockCalendar.Instance, Start.AddHours(1)));
        Accepted(await request.ApproveAsync(People.Lou, request.CurrentCard, null, directory, AroundTheClockCalendar.Instance, Start.AddHours(2)));
        return request;
    }

    /// <summary>At Legal, where Leo delegated his seat to Dan.</summary>
    public static async Task<ApprovalRequest> Delegated()
    {
        var request = await AtLegal();
        Accepted(request.Delegate(People.Leo, request.CurrentCard, People.Dan, "I am away this week.", Start.AddHours(2)));
        return request;
    }

    public static ApprovalCardContext Context(
        ApprovalRequest request,
        PersonId? viewer,
        DateTimeOffset? now = null,
        IReadOnlyList<string>? refreshUserIds = null,
        TimeZoneInfo? timeZone = null,
        string? error = null,
        string? notice = null,
        string? commentDraft = null,
        string? subjectLabel = "Purchase order PO-2026-117") =>
        new(request, viewer, p => Names.TryGetValue(p, out var name) ? name : p.Value, timeZone ?? Berlin, now ?? Start.AddHours(3),
            refreshUserIds ?? [.. request.WaitingFor.Select(UserId)], subjectLabel, error, notice, commentDraft);

    /// <summary>A Teams user id shaped like the real ones.</summary>
    public static string UserId(PersonId person) => "29:1" + person.Value + "-teams-user-id";

    private static void Accepted(DecisionResult result) => Assert.True(result.Accepted, result.Refusal?.Message);
}
