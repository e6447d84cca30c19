using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.UnitTests.Domain.Approvals;

namespace ApprovalBot.UnitTests.Domain.Agreements;

public class AgreementTermsTests
{
    [Fact]
    public void Problems_IsEmpty_ForCompleteTerms()
    {
        Assert.Empty(SampleTerms.Complete().Problems());
    }

    [Fact]
    public void Problems_ListsEveryMissingSection_AtOnce()
    {
        var problems = new AgreementTerms().Problems();

        Assert.Equal(
            ["ProviderName", "OversightOwners", "Services", "Coverage", "StartDate", "EndDate", "Pricing", "Responsibilities", "ServiceLevels", "Escalation",
             "TerminationNotice", "CommunicationPlan", "Kpis", "BusinessCalendar", "DataProtection"],
            problems.Select(p => p.Field));
    }

    [Fact]
    public void Problems_ReportsAnEndDateNotAfterTheStart()
    {
        var terms = SampleTerms.Complete() with { EndDate = new DateOnly(2026, 2, 1) };

        Assert.Equal(["EndDate"], terms.Problems().Select(p => p.Field));
    }

    [Fact]
    public void ServiceLevels_NeedsExactlyOneTargetPerPriority()
    {
        var p1 = new PriorityTarget(Priority.P1, TimeSpan.FromMinutes(15), TimeSpan.FromHours(4));
        Assert.Throws<DomainException>(() => new ServiceLevelTargets([p1]));
        Assert.Throws<DomainException>(() => new ServiceLevelTargets([p1, p1, p1, p1]));
        Assert.Equal(TimeSpan.FromHours(4), SampleTerms.Complete().ServiceLevels!.For(Priority.P1).Resolution);
        Assert.True(SampleTerms.Complete().ServiceLevels!.For(Priority.P1).AroundTheClock);
    }

    [Fact]
    public void PriorityTarget_RefusesAResolutionShorterThanTheResponse()
    {
        Assert.Throws<DomainException>(() => new PriorityTarget(Priority.P2, TimeSpan.FromHours(2), TimeSpan.FromHours(1)));
        Assert.Throws<DomainException>(() => new PriorityTarget(Priority.P2, TimeSpan.Zero, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Escalation_NeedsL1L2AndL3_EachWithPeopleOrAChannel()
    {
        var l1 = new EscalationLevel(SupportLevel.L1, new EscalationContacts([People.Leo]));
        Assert.Throws<DomainException>(() => new EscalationProcedure([l1]));
        Assert.Throws<DomainException>(() => new EscalationContacts([], null));
        Assert.Equal("19:l1-channel@thread.tacv2", SampleTerms.Complete().Escalation!.For(SupportLevel.L1).Contacts.ChannelId);
    }

    [Fact]
    public void Services_NeedADescription_ExactlyWhenOtherIsInScope()
    {
        Assert.Throws<DomainException>(() => new ServicesInScope([ServiceKind.Other]));
        Assert.Throws<DomainException>(() => new ServicesInScope([ServiceKind.HelpDesk], "extra"));
        Assert.Throws<DomainException>(() => new ServicesInScope([]));
        Assert.Throws<DomainException>(() => new ServicesInScope([ServiceKind.HelpDesk, ServiceKind.HelpDesk]));
        Assert.Equal([ServiceKind.DataBackupAndRecovery, ServiceKind.HelpDesk, ServiceKind.Other], SampleTerms.Complete().Services!.Kinds);
    }

    [Fact]
    public void Pricing_NeedsAnIsoCurrencyAndANonNegativeAmount()
    {
        Assert.Equal("EUR", new Pricing(PricingStructure.Hourly, 95m, " eur ").Currency);
        Assert.Throws<DomainException>(() => new Pricing(PricingStructure.Hourly, 95m, "EURO"));
        Assert.Throws<DomainException>(() => new Pricing(PricingStructure.Hourly, 95m, "E1R"));
        Assert.Throws<DomainException>(() => new Pricing(PricingStructure.Hourly, -1m, "EUR"));
    }

    [Theory]
    [InlineData("0 9 * * MON")]
    [InlineData("30 8 1,15 * *")]
    [InlineData("*/15 9-17 * * 1-5")]
    public void RecurringSchedule_AcceptsFiveCronFields(string cron)
    {
        Assert.Equal(cron, new RecurringSchedule(cron, "Europe/Berlin").Cron);
    }

    [Theory]
    [InlineData("0 9 * *")]
    [InlineData("0 9 * * MON 2026")]
    [InlineData("0 9 * * MON; rm")]
    [InlineData("")]
    public void RecurringSchedule_RefusesAnythingElse(string cron)
    {
        Assert.Throws<DomainException>(() => new RecurringSchedule(cron, "Europe/Berlin"));
    }

    [Fact]
    public void ContactPoint_NeedsAWayToReachThem()
    {
        Assert.Throws<DomainException>(() => new ContactPoint("Pat"));
        Assert.Throws<DomainException>(() => new ContactPoint("Pat", email: "not an e-mail"));
    }

    [Fact]
    public void CommunicationPlan_NeedsAContactOnEachSide()
    {
        Assert.Throws<DomainException>(() => new CommunicationPlan(
            [new ContactPoint("Alice", People.Alice)], [], new RecurringSchedule("0 9 * * MON", "UTC"), UpdateDestination.OneToOne(People.Alice)));
    }

    [Fact]
    public void Kpis_AreListedOnce()
    {
        Assert.Throws<DomainException>(() => new KpiPlan([new Kpi(KpiKind.IncidentCount), new Kpi(KpiKind.IncidentCount, 3)], ReportingFrequency.Weekly));
        Assert.Throws<DomainException>(() => new KpiPlan([], ReportingFrequency.Weekly));
    }

    [Fact]
    public void CalendarPeriod_KeepsItsUnit_AndRefusesZero()
    {
        Assert.Equal(new CalendarPeriod(3, PeriodUnit.Months), SampleTerms.Complete().TerminationNotice);
        Assert.Throws<DomainException>(() => new CalendarPeriod(0, PeriodUnit.Days));
    }

    [Fact]
    public void Problems_ListTheCalendarsOwnProblems_WhenTheCalendarIsInvalid()
    {
        var terms = SampleTerms.Complete() with
        {
            BusinessCalendar = new BusinessCalendarDefinition { TimeZoneId = "Mars/Olympus_Mons" },
        };
        var calendarProblems = terms.Problems().Where(p => p.Field == nameof(AgreementTerms.BusinessCalendar)).ToList();
        Assert.True(calendarProblems.Count >= 2, string.Join("; ", calendarProblems)); // unknown zone, no working hours
        Assert.Empty(SampleTerms.Complete().Problems());
    }
}
