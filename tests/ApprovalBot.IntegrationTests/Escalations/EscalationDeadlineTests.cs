using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Escalations;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport.Storage;

namespace ApprovalBot.IntegrationTests.Escalations;

/// <summary>
/// An escalation's later deadlines on the real scheduler with a manual clock: the 75 % warning and the breach (to L3
/// and the oversight owners), a hold that moves every deadline by its length, and the automatic close at the end of
/// the reopen window. P2 on a 24×7 UTC calendar: 1 h to acknowledge, 8 h to resolve (50/75/100 % at 4, 6 and 8 h).
/// </summary>
public sealed class EscalationDeadlineTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private EscalationTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await EscalationTestBed.StartAsync(await new SqliteTestDatabases().CreateDatabaseAsync(), Monday10);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    /// <summary>The card's text as it was posted (with its headline), before any update in place.</summary>
    private static string AsPosted(TestSupport.Connector.FakeMessage message) => TestConversation.Texts(TestConversation.CardOf(message.Versions[0]));

    [Fact]
    public async Task ResolutionWarningAndBreach_GoToTheLevelThenToL3AndTheOversightOwners_EachOnce_StampedWithTheirDeadlines()
    {
        var agreementId = await _bed.ActiveAgreementAsync(Cast.Megan, Cast.Patti);
        var adele = await _bed.ChatWithAsync(Cast.Adele);
        var lynne = await _bed.ChatWithAsync(Cast.Lynne);
        var megan = await _bed.ChatWithAsync(Cast.Megan);
        var patti = await _bed.ChatWithAsync(Cast.Patti);
        var opened = await _bed.OpenAsync(agreementId, Priority.P2, "Mail server down", Cast.Alex);
        await adele.ExpectCardAsync();
        await _bed.ActAsync(opened.Id, Cast.Adele, EscalationAction.Acknowledge); // no level climbs: only the resolution clock runs

        await _bed.JumpToAsync(Monday10.AddHours(4).AddSeconds(1));
        var (half, _) = await adele.ExpectCardWhileTickingAsync(_bed.Clock);
        Assert.Contains("50 % of the resolution time is used.", AsPosted(half), StringComparison.Ordinal);
        await _bed.JumpToAsync(Monday10.AddHours(6).AddSeconds(1));
        var (threeQuarters, _) = await adele.ExpectCardWhileTickingAsync(_bed.Clock);
        Assert.Contains("75 % of the resolution time is used.", AsPosted(threeQuarters), StringComparison.Ordinal);

        await _bed.JumpToAsync(Monday10.AddHours(8).AddSeconds(1));
        foreach (var told in new[] { lynne, megan, patti })
        {
            var (breach, _) = await told.ExpectCardWhileTickingAsync(_bed.Clock);
            Assert.Contains("The resolution target is breached.", AsPosted(breach), StringComparison.Ordinal);
        }

        // Nothing more comes: once no deadline is left due, every deadline was sent once.
        await _bed.WaitUntilNothingDueAsync(opened.Id);
        var connector = _bed.Bot.Connector;
        Assert.Equal(1, EscalationAgreements.PostsContaining(connector, adele.Id, "75 % of the resolution time is used."));
        foreach (var told in new[] { lynne, megan, patti })
            Assert.Equal(1, EscalationAgreements.PostsContaining(connector, told.Id, "The resolution target is breached."));
        Assert.Equal(0, EscalationAgreements.PostsContaining(connector, adele.Id, "The resolution target is breached."));

        var escalation = await _bed.LoadAsync(opened.Id);
        Assert.Equal((SupportLevel.L3, EscalationState.Acknowledged), (escalation.Level, escalation.State));
        Assert.Equal(Monday10.AddHours(6), Assert.Single(escalation.Timeline, e => e.Kind == EscalationEventKind.ResolutionWarning && e.Percent == 75).At);
        Assert.Equal(Monday10.AddHours(8), Assert.Single(escalation.Timeline, e => e.Kind == EscalationEventKind.ResolutionBreached).At);
        Assert.Equal(Monday10.AddHours(8), Assert.Single(escalation.Timeline, e => e.Kind == EscalationEventKind.LevelRaised).At);
        Assert.All(escalation.Timeline.Where(e => e.Kind is EscalationEventKind.ResolutionWarning or EscalationEventKind.ResolutionBreached), e => Assert.Null(e.Actor));
        Assert.Equal(Monday10.AddHours(8), escalation.ResolutionBreachedAt);
        Assert.Null(await _bed.ArmedAsync(opened.Id)); // acknowledged, all warnings sent: nothing is left to fire
    }

    [Fact]
    public async Task Hold_CancelsTheTrigger_AndNothingFiresWhileOnHold_ThenResumeRearmsLaterByTheHoldsLength()
    {
        var agreementId = await _bed.ActiveAgreementAsync(Cast.Megan);
        var adele = await _bed.ChatWithAsync(Cast.Adele);
        var isaiah = await _bed.ChatWithAsync(Cast.Isaiah);
        var opened = await _bed.OpenAsync(agreementId, Priority.P2, "VPN down", Cast.Alex);
        await adele.ExpectCardAsync();
        Assert.Equal(Monday10.AddHours(1), (await _bed.ArmedAsync(opened.Id))!.DueAt);

        await _bed.JumpToAsync(Monday10.AddMinutes(30));
        var held = await _bed.ActAsync(opened.Id, Cast.Adele, EscalationAction.Hold, "Waiting for the customer's firewall logs");
        Assert.Null(await _bed.ArmedAsync(opened.Id));

        // Well past the response deadline (11:00) and the 50 % warning (14:00): nothing fires, nothing is sent.
        await _bed.JumpToAsync(Monday10.AddHours(5));
        await _bed.AssertNothingDueAsync(opened.Id);
        var stillHeld = await _bed.LoadAsync(opened.Id);
        Assert.Equal((EscalationState.OnHold, SupportLevel.L1, held.Version), (stillHeld.State, stillHeld.Level, stillHeld.Version));
        await isaiah.ExpectNoMoreMessagesAsync();

        // Resumed at 15:01 after 4.5 h 1 min on hold (around the clock, so all of it business time).
        var resumedAt = Monday10.AddHours(5).AddMinutes(1);
        await _bed.JumpToAsync(resumedAt);
        var resumed = await _bed.ActAsync(opened.Id, Cast.Adele, EscalationAction.Resume);
        var hold = resumedAt - Monday10.AddMinutes(30);
        var armed = await _bed.ArmedAsync(opened.Id);
        Assert.Equal((Monday10.AddHours(1) + hold, resumed.Version), (armed!.DueAt, armed.FencingToken));
        Assert.Equal(Monday10.AddHours(4) + hold, resumed.ResolutionDueAt(50));

        await _bed.JumpToAsync(Monday10.AddHours(1) + hold - TimeSpan.FromSeconds(5));
        await _bed.AssertNothingDueAsync(opened.Id);
        Assert.Equal(SupportLevel.L1, (await _bed.LoadAsync(opened.Id)).Level); // not before its shifted deadline
        await _bed.JumpToAsync(Monday10.AddHours(1) + hold + TimeSpan.FromSeconds(1));
        var (raised, _) = await isaiah.ExpectCardWhileTickingAsync(_bed.Clock);
        Assert.Contains("Raised to L2", AsPosted(raised), StringComparison.Ordinal);
        var escalation = await _bed.LoadAsync(opened.Id);
        Assert.Equal(Monday10.AddHours(1) + hold, Assert.Single(escalation.Timeline, e => e.Kind == EscalationEventKind.LevelRaised).At);
    }

    [Fact]
    public async Task AutoClose_ClosesAResolvedEscalationAsTheSystem_WhenItsReopenWindowHasPassed()
    {
        var agreementId = await _bed.ActiveAgreementAsync(Cast.Megan);
        var adele = await _bed.ChatWithAsync(Cast.Adele);
        var opened = await _bed.OpenAsync(agreementId, Priority.P2, "Printer fleet offline", Cast.Alex);
        var (copy, _) = await adele.ExpectCardAsync();
        await _bed.JumpToAsync(Monday10.AddMinutes(20));
        var resolved = await _bed.ActAsync(opened.Id, Cast.Adele, EscalationAction.Resolve, "Replaced the print server's certificate.");
        var closeAt = Monday10.AddMinutes(20) + resolved.Policy.ReopenWindow;
        Assert.Equal(TimeSpan.FromDays(7), resolved.Policy.ReopenWindow);
        Assert.Equal((closeAt, resolved.Version), ((await _bed.ArmedAsync(opened.Id))!.DueAt, (await _bed.ArmedAsync(opened.Id))!.FencingToken));

        await _bed.JumpToAsync(closeAt.AddSeconds(-5));
        await _bed.AssertNothingDueAsync(opened.Id);
        Assert.Equal(EscalationState.Resolved, (await _bed.LoadAsync(opened.Id)).State);
        await _bed.JumpToAsync(closeAt.AddSeconds(1));
        var closed = await _bed.WaitWhileTickingAsync(opened.Id, e => e.State == EscalationState.Closed);

        var entry = closed.Timeline[^1];
        Assert.Equal((EscalationEventKind.Closed, (PersonId?)null, closeAt), (entry.Kind, entry.Actor, entry.At));
        Assert.Equal((closeAt, resolved.Version + 1), (closed.ClosedAt, closed.Version));
        Assert.Single(closed.Timeline, e => e.Kind == EscalationEventKind.Closed);
        Assert.Null(await _bed.ArmedAsync(opened.Id));
        await _bed.Bot.WaitForOutboxToSettleAsync();
        Assert.Contains("Closed", TestConversation.Texts(TestConversation.CardOf(_bed.Bot.Connector.GetMessage(adele.Id, copy.ActivityId)!.Current)), StringComparison.Ordinal);
        await adele.ExpectNoMoreMessagesAsync(); // the copy is updated in place; nobody is notified
    }

    [Fact]
    public async Task AutoClose_DoesNotHappen_WhenTheEscalationIsReopenedBeforeTheWindowEnds()
    {
        var agreementId = await _bed.ActiveAgreementAsync(Cast.Megan);
        var opened = await _bed.OpenAsync(agreementId, Priority.P4, "Slow file share", Cast.Alex);
        await _bed.ActAsync(opened.Id, Cast.Adele, EscalationAction.Acknowledge);
        var resolved = await _bed.ActAsync(opened.Id, Cast.Adele, EscalationAction.Resolve, "Defragmented the volume.");
        var closeAt = Monday10 + resolved.Policy.ReopenWindow;
        Assert.Equal(closeAt, (await _bed.ArmedAsync(opened.Id))!.DueAt);

        await _bed.JumpToAsync(Monday10.AddDays(2));
        var reopened = await _bed.ActAsync(opened.Id, Cast.Alex, EscalationAction.Reopen, "Slow again since this morning");
        var armed = await _bed.ArmedAsync(opened.Id);
        Assert.Equal((reopened.ResolutionDueAt(50), reopened.Version), (armed!.DueAt, armed.FencingToken)); // the resolution clock again

        await _bed.JumpToAsync(closeAt.AddSeconds(1));
        await _bed.WaitUntilNothingDueAsync(opened.Id); // the resolution warnings that passed meanwhile have fired
        var after = await _bed.LoadAsync(opened.Id);
        Assert.Equal(EscalationState.Acknowledged, after.State);
        Assert.DoesNotContain(after.Timeline, e => e.Kind == EscalationEventKind.Closed);
    }
}
