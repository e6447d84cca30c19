using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.UnitTests.Domain.Calendars;
using static ApprovalBot.UnitTests.Domain.Escalations.EscalationSamples;

namespace ApprovalBot.UnitTests.Domain.Escalations;

public class EscalationPolicyTests
{
    [Fact]
    public void From_SnapshotsThePrioritysTargetsTheContactsAndTheCalendar_WhenTheAgreementIsActive()
    {
        var agreement = ActiveAgreement();

        var policy = EscalationPolicy.From(agreement, Priority.P2);

        Assert.Equal((agreement.Id, "Contoso support 2026", 1, Priority.P2), (policy.AgreementId, policy.AgreementName, policy.AgreementRevision, policy.Priority));
        Assert.Equal((TimeSpan.FromHours(1), TimeSpan.FromHours(8)), (policy.ResponseTarget, policy.ResolutionTarget));
        Assert.Equal(Berlin9To5.Definition, policy.Calendar);
        Assert.Equal([SupportLevel.L1, SupportLevel.L2, SupportLevel.L3], policy.Levels.Select(l => l.Level));
        Assert.Equal(L1Channel, policy.For(SupportLevel.L1).Contacts.ChannelId);
        Assert.Equal("Technical support", policy.For(SupportLevel.L2).Description);
        Assert.Equal(["mia"], Ids(policy.For(SupportLevel.L3).Contacts.People));
        Assert.Equal(["alice", "carol"], Ids(policy.OversightOwners));
        Assert.Equal(TimeSpan.FromDays(7), policy.ReopenWindow);
    }

    [Fact]
    public void From_CountsAroundTheClockInTheAgreementsZone_WhenThePriorityIsAroundTheClock()
    {
        var policy = EscalationPolicy.From(ActiveAgreement(), Priority.P1);

        Assert.Equal(new BusinessCalendarDefinition { TimeZoneId = Wall.Berlin, TwentyFourSeven = true }, policy.Calendar);
        Assert.Equal((TimeSpan.FromMinutes(15), TimeSpan.FromHours(4)), (policy.ResponseTarget, policy.ResolutionTarget));
    }

    [Fact]
    public void From_TakesTheReopenWindow_WhenGiven()
    {
        Assert.Equal(TimeSpan.FromDays(14), EscalationPolicy.From(ActiveAgreement(), Priority.P3, TimeSpan.FromDays(14)).ReopenWindow);
        AssertCode("escalation.invalid_policy", () => EscalationPolicy.From(ActiveAgreement(), Priority.P3, TimeSpan.Zero));
    }

    [Fact]
    public void From_Throws_WhenTheAgreementIsADraft()
    {
        var draft = Agreement.CreateDraft("Draft", SampleTerms.Complete(), People.Alice, Monday9);

        AssertCode("escalation.agreement_not_active", () => EscalationPolicy.From(draft, Priority.P2));
    }

    [Fact]
    public void From_Throws_WhenTheAgreementWasTerminated()
    {
        var agreement = ActiveAgreement();
        agreement.Terminate("Provider acquired", People.Alice, Monday9);

        AssertCode("escalation.agreement_not_active", () => EscalationPolicy.From(agreement, Priority.P2));
    }

    [Fact]
    public void Policy_EqualsACopyWithTheSameValues()
    {
        Assert.Equal(Policy(), Policy());
        Assert.NotEqual(Policy(Priority.P2), Policy(Priority.P3));
    }

    [Fact]
    public void OpenEscalation_KeepsItsDeadlinesAndContacts_WhenTheAgreementEndsAndNewTermsComeIntoForce()
    {
        var agreement = ActiveAgreement();
        var escalation = Escalation.Open(EscalationPolicy.From(agreement, Priority.P2), "VPN down", null, Reporter, Monday9);
        var before = (escalation.ResponseDueAt, escalation.ResolutionDueAt(100), escalation.Policy);

        // The agreement ends and a successor with tighter targets, other contacts and a 24x7 calendar replaces it.
        agreement.Terminate("Replaced by the 2026 renewal", People.Alice, Mon(9, 5));
        var renewed = SampleTerms.Complete() with
        {
            ServiceLevels = new ServiceLevelTargets(
            [
                new PriorityTarget(Priority.P1, TimeSpan.FromMinutes(5), TimeSpan.FromHours(1), aroundTheClock: true),
                new PriorityTarget(Priority.P2, TimeSpan.FromMinutes(30), TimeSpan.FromHours(2)),
                new PriorityTarget(Priority.P3, TimeSpan.FromHours(2), TimeSpan.FromDays(1)),
                new PriorityTarget(Priority.P4, TimeSpan.FromHours(4), TimeSpan.FromDays(2)),
            ]),
            Escalation = new EscalationProcedure(
            [
                new EscalationLevel(SupportLevel.L1, new EscalationContacts([People.Lou])),
                new EscalationLevel(SupportLevel.L2, new EscalationContacts([People.Lena])),
                new EscalationLevel(SupportLevel.L3, new EscalationContacts([People.Max])),
            ]),
            BusinessCalendar = BusinessCalendar.TwentyFourSeven(Wall.Berlin).Definition,
        };
        var successorPolicy = EscalationPolicy.From(ActiveAgreement(renewed), Priority.P2);

        Assert.Equal(AgreementStatus.Terminated, agreement.Status);
        Assert.NotEqual(before.Policy, successorPolicy);
        Assert.Equal(before, (escalation.ResponseDueAt, escalation.ResolutionDueAt(100), escalation.Policy));
        Assert.Equal(Mon(10), escalation.ResponseDueAt);
        var raised = escalation.FireDue(escalation.Version, Mon(10));
        Assert.Equal(["leo"], Ids(Assert.Single(raised.Notifications).People));
    }
}
