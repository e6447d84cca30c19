using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Breaches;
using ApprovalBot.Domain.Common;
using ApprovalBot.UnitTests.Domain.Approvals;
using ApprovalBot.UnitTests.Domain.Escalations;

namespace ApprovalBot.UnitTests.Domain.Breaches;

/// <summary>
/// The breach notification clock on explicit instants: the sample agreement's data-protection terms (Alice on our side,
/// Priya Privacy at the provider with only an e-mail and phone, 72 hours) snapshotted when a breach is reported at
/// 2026-01-05 09:00 Berlin: warnings 36 h, 54 h and 64 h 48 min after, the deadline 72 h after.
/// </summary>
public class DataBreachTests
{
    private static readonly DateTimeOffset Reported = EscalationSamples.Monday9;

    private static DataBreach Open(AgreementTerms? terms = null) =>
        DataBreach.Open(EscalationSamples.ActiveAgreement(terms), "Backup tapes lost in transit", People.Bob, Reported);

    [Fact]
    public void Open_SnapshotsTheAgreementsContactsAndDeadline_AndStartsTheClock()
    {
        var breach = Open();

        Assert.Equal(BreachState.Open, breach.State);
        Assert.Equal(Reported.AddHours(72), breach.DeadlineAt);
        Assert.Equal(TimeSpan.FromHours(72), breach.NotificationDeadline);
        Assert.Equal([(BreachSide.Ours, "Alice"), (BreachSide.Provider, "Priya Privacy")], breach.Contacts.Select(c => (c.Side, c.Name)));
        Assert.Equal([People.Alice, People.Carol], breach.OversightOwners);
        var opened = Assert.Single(breach.Events);
        Assert.Equal((BreachEventKind.Opened, People.Bob, Reported), (opened.Kind, opened.Actor!.Value, opened.At));
        Assert.Contains("within 72 h", opened.Detail, StringComparison.Ordinal);
        Assert.Equal(Reported.AddHours(36), breach.NextClockAt);
    }

    [Fact]
    public void ClockSteps_FallAt50_75And90PercentOfTheDeadline_ThenTheDeadline()
    {
        var breach = Open();

        Assert.Equal(
            [Reported.AddHours(36), Reported.AddHours(54), Reported.AddMinutes(3888), Reported.AddHours(72)],
            DataBreach.ClockPercents.Select(breach.ClockAt));
    }

    [Fact]
    public void FireClock_RecordsEachWarningOnce_AtItsInstant_AndTheDeadline_ThenNothingIsDue()
    {
        var breach = Open();
        Assert.Equal(BreachTimerOutcome.NothingDue, breach.FireClock(breach.Version, Reported.AddHours(36).AddSeconds(-1)).Outcome);

        foreach (var (percent, minutes) in new[] { (50, 36 * 60), (75, 54 * 60), (90, 3888), (100, 72 * 60) })
        {
            var at = Reported.AddMinutes(minutes);
            var result = breach.FireClock(breach.Version, at);
            Assert.Equal((BreachTimerOutcome.Warned, (int?)percent), (result.Outcome, result.Percent));
            Assert.Equal(percent, breach.ClockPercent);
            var recorded = breach.Events[^1];
            Assert.Equal((percent == 100 ? BreachEventKind.DeadlinePassed : BreachEventKind.Warning, at, (int?)percent), (recorded.Kind, recorded.At, recorded.Percent));
            // A repeated fire (same instant, current token) records nothing more.
            Assert.Equal(BreachTimerOutcome.NothingDue, breach.FireClock(breach.Version, at).Outcome);
        }
        Assert.Null(breach.NextClockAt);
        Assert.Equal(4, breach.Events.Count(e => e.Kind is BreachEventKind.Warning or BreachEventKind.DeadlinePassed));
    }

    [Fact]
    public void FireClock_AfterDowntime_RecordsOnlyTheLatestStepDue_SayingWhichWereMissed()
    {
        var breach = Open();

        var result = breach.FireClock(breach.Version, Reported.AddHours(65));

        Assert.Equal(90, result.Percent);
        var warning = breach.Events[^1];
        Assert.Equal(Reported.AddMinutes(3888), warning.At);
        Assert.Contains("the 50 % and 75 % steps fell due while the bot was down", warning.Detail, StringComparison.Ordinal);
        Assert.Equal(Reported.AddHours(72), breach.NextClockAt);
    }

    [Fact]
    public void FireClock_WithAStaleToken_OrAfterClose_ChangesNothing()
    {
        var breach = Open();
        var token = breach.Version;
        breach.Acknowledge(People.Alice, Reported.AddHours(1));

        Assert.Equal(BreachTimerOutcome.StaleToken, breach.FireClock(token, Reported.AddHours(40)).Outcome);
        Assert.Equal(0, breach.ClockPercent);

        breach.Close(People.Bob, "Both supervisory authorities notified.", Reported.AddHours(2));
        Assert.Null(breach.NextClockAt);
        Assert.Equal(BreachTimerOutcome.Closed, breach.FireClock(breach.Version, Reported.AddHours(80)).Outcome);
        Assert.DoesNotContain(breach.Events, e => e.Kind is BreachEventKind.Warning or BreachEventKind.DeadlinePassed);
    }

    [Fact]
    public void Close_StopsTheClock_WhenTheReporterAnOwnerOrAContactCloses()
    {
        foreach (var closer in new[] { People.Bob, People.Carol, People.Alice })
        {
            var breach = Open();
            breach.FireClock(breach.Version, Reported.AddHours(36));
            breach.Close(closer, "Notified.", Reported.AddHours(37));
            Assert.Equal((BreachState.Closed, closer, (DateTimeOffset?)Reported.AddHours(37)), (breach.State, breach.ClosedBy!.Value, breach.ClosedAt));
            Assert.Null(breach.NextClockAt);
            Assert.Equal(BreachEventKind.Closed, breach.Events[^1].Kind);
        }
    }

    [Fact]
    public void Close_IsRefused_ForAnyoneElse_WithoutANote_AndTwice_ChangingNothing()
    {
        var breach = Open();
        var version = breach.Version;

        Assert.Equal("breach.forbidden", Assert.Throws<DomainException>(() => breach.Close(People.Zed, "Done.", Reported.AddHours(1))).Code);
        Assert.Throws<DomainException>(() => breach.Close(People.Bob, "  ", Reported.AddHours(1)));
        Assert.Equal((version, BreachState.Open), (breach.Version, breach.State));

        breach.Close(People.Bob, "Done.", Reported.AddHours(1));
        Assert.Equal("breach.closed", Assert.Throws<DomainException>(() => breach.Close(People.Alice, "Again.", Reported.AddHours(2))).Code);
    }

    [Fact]
    public void Acknowledge_IsRecordedOncePerContact_AndRefusedForOthers_OrWhenClosed()
    {
        var breach = Open();

        breach.Acknowledge(People.Alice, Reported.AddMinutes(5));
        Assert.Equal(Reported.AddMinutes(5), breach.AcknowledgedAt(People.Alice));
        Assert.Equal("Alice (our side)", Assert.Single(breach.Acknowledgements).Contact);

        var version = breach.Version;
        Assert.Equal("breach.already_acknowledged", Assert.Throws<DomainException>(() => breach.Acknowledge(People.Alice, Reported.AddMinutes(6))).Code);
        Assert.Equal("breach.forbidden", Assert.Throws<DomainException>(() => breach.Acknowledge(People.Bob, Reported.AddMinutes(6))).Code);
        Assert.Equal(version, breach.Version);

        breach.Close(People.Bob, "Done.", Reported.AddHours(1));
        Assert.Equal("breach.closed", Assert.Throws<DomainException>(() => breach.Acknowledge(People.Alice, Reported.AddHours(2))).Code);
    }

    [Fact]
    public void RecordUnreachable_SaysWhy_AndHowToReachTheContactInstead()
    {
        var breach = Open();
        var provider = breach.Contacts.Single(c => c.Side == BreachSide.Provider);

        breach.RecordUnreachable(provider, "no Teams account on record", Reported);

        var entry = breach.Events[^1];
        Assert.Equal((BreachEventKind.Unreachable, "Priya Privacy (provider)"), (entry.Kind, entry.Contact));
        Assert.Contains("e-mail privacy@contoso.example, phone +1 555 0199", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_IsRefused_ForAnAgreementNotActive_OrWithoutDataProtectionTerms()
    {
        var draft = Agreement.CreateDraft("Draft", SampleTerms.Complete(), People.Alice, Reported);
        Assert.Equal("breach.agreement_not_active", Assert.Throws<DomainException>(() => DataBreach.Open(draft, "x", People.Bob, Reported)).Code);

        var ended = EscalationSamples.ActiveAgreement();
        ended.Terminate("Provider insolvency", People.Mia, Reported.AddDays(-1));
        Assert.Equal("breach.agreement_not_active", Assert.Throws<DomainException>(() => DataBreach.Open(ended, "x", People.Bob, Reported)).Code);

        Assert.Throws<DomainException>(() => DataBreach.Open(EscalationSamples.ActiveAgreement(), new string('x', DataBreach.MaxSummaryLength + 1), People.Bob, Reported));
    }

    [Theory]
    [InlineData(59)]
    [InlineData(30 * 24 * 60 + 1)]
    public void DataProtectionTerms_RefuseADeadlineOutsideOneHourTo30Days(int minutes)
    {
        var contact = new ContactPoint("Alice", People.Alice);
        Assert.Throws<DomainException>(() => new DataProtectionTerms([contact], [contact], TimeSpan.FromMinutes(minutes)));
    }

    [Fact]
    public void DataProtectionTerms_RefuseAPartialMinute_AndAnEmptySide_AndSubmissionNeedsThem()
    {
        var contact = new ContactPoint("Alice", People.Alice);
        Assert.Throws<DomainException>(() => new DataProtectionTerms([contact], [contact], TimeSpan.FromHours(72).Add(TimeSpan.FromSeconds(30))));
        Assert.Throws<DomainException>(() => new DataProtectionTerms([contact], [], TimeSpan.FromHours(72)));
        Assert.Contains((SampleTerms.Complete() with { DataProtection = null }).Problems(), p => p.Field == nameof(AgreementTerms.DataProtection));
        Assert.Empty(SampleTerms.Complete().Problems());
    }
}
