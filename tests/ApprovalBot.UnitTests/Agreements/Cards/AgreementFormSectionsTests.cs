using ApprovalBot.Agreements.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.UnitTests.Agreements.Cards;

public class AgreementFormSectionsTests
{
    [Theory]
    [InlineData("12 months", 12, PeriodUnit.Months)]
    [InlineData("1 month", 1, PeriodUnit.Months)]
    [InlineData("2 years", 24, PeriodUnit.Months)]
    [InlineData("26 WEEKS", 26, PeriodUnit.Weeks)]
    [InlineData("90d", 90, PeriodUnit.Days)]
    public void Period_ReadsAPeriodAsPeopleTypeIt(string text, int count, PeriodUnit unit)
    {
        Assert.Equal(new CalendarPeriod(count, unit), AgreementFormSections.Period(text));
    }

    [Theory]
    [InlineData("a year")]
    [InlineData("12")]
    [InlineData("0 months")]
    [InlineData("12 months and a bit")]
    [InlineData(null)]
    public void Period_IsNull_ForAnythingElse(string? text)
    {
        Assert.Null(AgreementFormSections.Period(text));
    }

    [Theory]
    [InlineData("15 min", 15)]
    [InlineData("15m", 15)]
    [InlineData("4 h", 240)]
    [InlineData("1 h 30 min", 90)]
    [InlineData("2 d", 2880)]
    [InlineData("2 days", 2880)]
    public void Target_ReadsADuration_AsTheCardWritesIt(string text, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), AgreementFormSections.Target(text));
        Assert.Equal(TimeSpan.FromMinutes(minutes), AgreementFormSections.Target(AgreementCards.Duration(TimeSpan.FromMinutes(minutes))));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("0 min")]
    [InlineData("4")]
    [InlineData("4 h or so")]
    public void Target_IsNull_ForAnythingElse(string text)
    {
        Assert.Null(AgreementFormSections.Target(text));
    }

    [Fact]
    public void PricedLine_ReadsNameAndPrice_AtTheLastColon()
    {
        Assert.Equal(("On-site visit", 150m), AgreementFormSections.PricedLine("On-site visit: 150"));
        Assert.Equal(("Migration: weekend", 1200.5m), AgreementFormSections.PricedLine("Migration: weekend = 1200.50"));
        Assert.Null(AgreementFormSections.PricedLine("On-site visit"));
        Assert.Null(AgreementFormSections.PricedLine("On-site visit: free"));
    }

    [Fact]
    public void Place_PutsEveryProblemOfEmptyTerms_UnderAnInputOfItsSection_OrInTheSummary()
    {
        var terms = new AgreementTerms();

        var placed = terms.Problems().ToDictionary(p => p.Field, p => AgreementFormSections.Place(p, terms));

        Assert.Equal((AgreementFormSection.Basics, AgreementFormFields.Provider), placed["ProviderName"]);
        Assert.Equal((AgreementFormSection.Basics, AgreementFormFields.ProviderContact), placed["CommunicationPlan"]);
        Assert.Equal((AgreementFormSection.Scope, AgreementFormFields.ProviderResponsibilities), placed["Responsibilities"]);
        Assert.Equal((AgreementFormSection.Term, AgreementFormFields.EndDate), placed["EndDate"]);
        Assert.Equal((AgreementFormSection.Term, AgreementFormFields.Notice), placed["TerminationNotice"]);
        Assert.Equal((AgreementFormSection.Service, AgreementFormFields.P1Response), placed["ServiceLevels"]);
        Assert.Equal((AgreementFormSection.Service, AgreementFormFields.L1Contacts), placed["Escalation"]);
        Assert.Equal((AgreementFormSection.DataProtection, AgreementFormFields.ProviderDataProtectionContact), placed["DataProtection"]);
        Assert.Equal((null, null), placed["Kpis"]);
        Assert.All(placed.Values.Where(p => p.Input is not null), p => Assert.Equal(p.Section, AgreementFormSections.SectionOf(p.Input!)));
    }

    [Fact]
    public void Apply_OfOneSection_ChangesOnlyThatSectionsTerms()
    {
        var before = SampleTerms.Complete();
        var values = AgreementForm.FromTerms("Contoso", before, AgreementStates.EmailOf) with
        {
            ProviderResponsibilities = "Answer the phone",
            Constraints = null,
            Provider = "Ignored: not on this step",
        };
        var people = new AgreementFormPeople([People.Alice], [], [], []);

        var after = AgreementForm.Apply(values, before, people, [AgreementFormSection.Scope]);

        Assert.Equal(["Answer the phone"], after.Responsibilities!.Provider);
        Assert.Equal(before.Responsibilities!.Ours, after.Responsibilities.Ours);
        Assert.Empty(after.SupportConstraints);
        Assert.Equal(before.ProviderName, after.ProviderName);
        Assert.Same(before.Pricing, after.Pricing);
        Assert.Same(before.ServiceLevels, after.ServiceLevels);
    }

    [Fact]
    public void Apply_OfTheTermStep_ComputesTheEndDate_FromTheDuration_AndReadsAdditionalServices()
    {
        var values = new AgreementFormValues(null, null, null, null, null, "2026-02-01", null, "Hourly", "95", "eur", null)
        {
            Duration = "12 months",
            Notice = "6 weeks",
            AdditionalServices = "On-site visit: 150\n- Weekend migration = 1200.50",
        };

        var terms = AgreementForm.Apply(values, new AgreementTerms(), new AgreementFormPeople([], [], [], []), [AgreementFormSection.Term]);

        Assert.Equal(new DateOnly(2027, 1, 31), terms.EndDate);
        Assert.Equal(new CalendarPeriod(6, PeriodUnit.Weeks), terms.TerminationNotice);
        Assert.Equal([new AdditionalService("On-site visit", 150m), new AdditionalService("Weekend migration", 1200.50m)], terms.AdditionalServices);
        Assert.Empty(AgreementForm.Validate(values, AgreementFormSection.Term));
        Assert.Contains(AgreementFormFields.Duration, AgreementForm.Validate(values with { EndDate = "2027-06-30" }).Keys);
        Assert.Contains(AgreementFormFields.Duration, AgreementForm.Validate(values with { StartDate = null }).Keys);
    }

    [Fact]
    public void Apply_OfTheServiceStep_SetsTheTargetsAndContacts_KeepingALevelsChannel()
    {
        var before = SampleTerms.Complete();
        var values = AgreementForm.FromTerms("Contoso", before, AgreementStates.EmailOf) with { P2Response = "30 min", AroundTheClock = "P1,P2" };
        var people = new AgreementFormPeople([], [], [People.Leo], [People.Mia, People.Leo]);

        var after = AgreementForm.Apply(values, before, people, [AgreementFormSection.Service]);

        Assert.Equal(TimeSpan.FromMinutes(30), after.ServiceLevels!.For(Priority.P2).Response);
        Assert.True(after.ServiceLevels.For(Priority.P2).AroundTheClock);
        Assert.False(after.ServiceLevels.For(Priority.P3).AroundTheClock);
        Assert.Equal(before.Escalation!.For(SupportLevel.L1).Contacts.ChannelId, after.Escalation!.For(SupportLevel.L1).Contacts.ChannelId);
        Assert.Equal([People.Mia, People.Leo], after.Escalation.For(SupportLevel.L3).Contacts.People);
        Assert.Empty(after.Problems());
    }

    [Fact]
    public void Validate_ServiceStep_WantsAllTargetsOrNone()
    {
        var values = new AgreementFormValues(null, null, null, null, null, null, null, null, null, null, null) { P1Response = "15 min", P1Resolution = "10 min" };

        var errors = AgreementForm.Validate(values, AgreementFormSection.Service);

        Assert.Contains(AgreementFormFields.P1Resolution, errors.Keys);
        Assert.Contains(AgreementFormFields.P4Response, errors.Keys);
        Assert.Empty(AgreementForm.Validate(values with { P1Response = null, P1Resolution = null }, AgreementFormSection.Service));
    }
}
