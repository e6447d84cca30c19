using System.Text.Json;
using ApprovalBot.Agreements.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.UnitTests.Agreements.Cards;

public class AgreementFormTests
{
    private static readonly AgreementFormValues Valid = new(
        "Contoso support 2026", "Contoso IT Services", "HelpDesk,DataBackupAndRecovery,Other", "Printer fleet care", "Both",
        "2026-02-01", "2027-01-31", "MonthlyRetainer", "4500", "EUR", "alice@contoso.example; carol@contoso.example");

    private static readonly AgreementFormValues Empty = new(null, null, null, null, null, null, null, null, null, null, null);

    /// <summary>The organisation's standard terms: everything the form does not edit.</summary>
    private static AgreementTerms StandardTerms() => SampleTerms.Complete() with
    {
        ProviderName = null,
        OversightOwners = [],
        Services = null,
        Coverage = null,
        StartDate = null,
        EndDate = null,
        Pricing = null,
    };

    private static JsonElement Data(object value) => JsonSerializer.SerializeToElement(value);

    private static JsonElement AsActionData(AgreementFormValues values) => JsonSerializer.SerializeToElement(new Dictionary<string, string?>
    {
        ["name"] = values.Name,
        ["provider"] = values.Provider,
        ["services"] = values.Services,
        ["otherServices"] = values.OtherServices,
        ["coverage"] = values.Coverage,
        ["startDate"] = values.StartDate,
        ["endDate"] = values.EndDate,
        ["pricing"] = values.Pricing,
        ["amount"] = values.Amount,
        ["currency"] = values.Currency,
        ["oversight"] = values.Oversight,
        ["providerContact"] = values.ProviderContact,
        ["ourResponsibilities"] = values.OurResponsibilities,
        ["providerResponsibilities"] = values.ProviderResponsibilities,
        ["constraints"] = values.Constraints,
        ["duration"] = values.Duration,
        ["notice"] = values.Notice,
        ["additionalServices"] = values.AdditionalServices,
        ["p1Response"] = values.P1Response,
        ["p1Resolution"] = values.P1Resolution,
        ["p2Response"] = values.P2Response,
        ["p2Resolution"] = values.P2Resolution,
        ["p3Response"] = values.P3Response,
        ["p3Resolution"] = values.P3Resolution,
        ["p4Response"] = values.P4Response,
        ["p4Resolution"] = values.P4Resolution,
        ["aroundTheClock"] = values.AroundTheClock,
        ["l1Contacts"] = values.L1Contacts,
        ["l2Contacts"] = values.L2Contacts,
        ["l3Contacts"] = values.L3Contacts,
        ["dpContacts"] = values.DataProtectionContacts,
        ["dpProviderContact"] = values.ProviderDataProtectionContact,
        ["dpDeadlineHours"] = values.BreachDeadlineHours,
        ["agreementId"] = "42",
    });

    [Fact]
    public void Parse_ReadsEveryInput_Trimmed()
    {
        Assert.Equal(Valid, AgreementForm.Parse(AsActionData(Valid with { Name = "  Contoso support 2026 ", Currency = "EUR\n" })));
    }

    [Fact]
    public void Parse_ReadsJunkAsNull_AndAnAmountGivenAsANumber_AsItsText()
    {
        var values = AgreementForm.Parse(Data(new
        {
            name = 17,
            provider = new { x = 1 },
            services = new List<string> { "HelpDesk" },
            otherServices = false,
            coverage = (string?)null,
            startDate = "   ",
            amount = 4500.5,
        }));

        Assert.Equal(Empty with { Amount = "4500.5" }, values);
        Assert.Equal(Empty, AgreementForm.Parse(null));
        Assert.Equal(Empty, AgreementForm.Parse(JsonDocument.Parse("[1,2]").RootElement));
    }

    [Fact]
    public void Validate_AcceptsACompleteForm_AndAFormWithOnlyAName()
    {
        Assert.Empty(AgreementForm.Validate(Valid));
        Assert.Empty(AgreementForm.Validate(Empty with { Name = "Contoso" }));
    }

    [Fact]
    public void Validate_RequiresAName_OfAtMost200Characters()
    {
        Assert.Equal("Give the agreement a name.", AgreementForm.Validate(Valid with { Name = null })[AgreementFormFields.Name]);
        Assert.Empty(AgreementForm.Validate(Valid with { Name = new string('n', Agreement.MaxNameLength) }));
        Assert.True(AgreementForm.Validate(Valid with { Name = new string('n', 201) }).ContainsKey(AgreementFormFields.Name));
    }

    [Fact]
    public void Validate_LimitsTheProvidersName()
    {
        Assert.Empty(AgreementForm.Validate(Valid with { Provider = new string('p', AgreementTerms.MaxProviderNameLength) }));
        Assert.True(AgreementForm.Validate(Valid with { Provider = new string('p', 201) }).ContainsKey(AgreementFormFields.Provider));
    }

    [Theory]
    [InlineData("HelpDesk", null, null)]
    [InlineData("helpdesk,HELPDESK", null, null)]
    [InlineData("HelpDesk,Other", "Printers", null)]
    [InlineData("Other", null, AgreementFormFields.OtherServices)]
    [InlineData("HelpDesk", "Printers", AgreementFormFields.OtherServices)]
    [InlineData(null, "Printers", AgreementFormFields.OtherServices)]
    [InlineData("HelpDesk,Gardening", null, AgreementFormFields.Services)]
    [InlineData("4", null, AgreementFormFields.Services)]
    public void Validate_ChecksTheServices_AndTheirDescriptionExactlyWhenOtherIsTicked(string? services, string? other, string? errorField)
    {
        var errors = AgreementForm.Validate(Valid with { Services = services, OtherServices = other });

        if (errorField is null) Assert.Empty(errors);
        else Assert.Equal(errorField, Assert.Single(errors).Key);
    }

    [Fact]
    public void Validate_LimitsTheDescriptionOfOtherServices()
    {
        Assert.Empty(AgreementForm.Validate(Valid with { OtherServices = new string('o', 500) }));
        Assert.True(AgreementForm.Validate(Valid with { OtherServices = new string('o', 501) }).ContainsKey(AgreementFormFields.OtherServices));
    }

    [Theory]
    [InlineData("Hardware", true)]
    [InlineData("software", true)]
    [InlineData("Both", true)]
    [InlineData("Neither", false)]
    [InlineData("1", false)]
    public void Validate_AcceptsOnlyKnownCoverage(string coverage, bool valid)
    {
        Assert.Equal(valid, !AgreementForm.Validate(Valid with { Coverage = coverage }).ContainsKey(AgreementFormFields.Coverage));
    }

    [Theory]
    [InlineData("2026-02-01", "2027-01-31", null)]
    [InlineData("2026-02-01", null, null)]
    [InlineData(null, "2027-01-31", null)]
    [InlineData("01/02/2026", "2027-01-31", AgreementFormFields.StartDate)]
    [InlineData("2026-02-30", "2027-01-31", AgreementFormFields.StartDate)]
    [InlineData("2026-02-01", "2027-1-31", AgreementFormFields.EndDate)]
    [InlineData("2026-02-01", "2026-02-01", AgreementFormFields.EndDate)]
    [InlineData("2026-02-01", "2026-01-31", AgreementFormFields.EndDate)]
    public void Validate_ChecksTheDates_AndThatTheEndIsAfterTheStart(string? start, string? end, string? errorField)
    {
        var errors = AgreementForm.Validate(Valid with { StartDate = start, EndDate = end });

        if (errorField is null) Assert.Empty(errors);
        else Assert.Equal(errorField, Assert.Single(errors).Key);
    }

    [Theory]
    [InlineData("Hourly", "120.50", "usd", null)]
    [InlineData("PerProject", "0", "EUR", null)]
    [InlineData(null, null, null, null)]
    [InlineData("Barter", "120", "EUR", AgreementFormFields.Pricing)]
    [InlineData("Hourly", "-1", "EUR", AgreementFormFields.Amount)]
    [InlineData("Hourly", "12,5", "EUR", AgreementFormFields.Amount)]
    [InlineData("Hourly", "1e3", "EUR", AgreementFormFields.Amount)]
    [InlineData("Hourly", "lots", "EUR", AgreementFormFields.Amount)]
    [InlineData("Hourly", "120", "EURO", AgreementFormFields.Currency)]
    [InlineData("Hourly", "120", "E1R", AgreementFormFields.Currency)]
    [InlineData(null, "120", "EUR", AgreementFormFields.Pricing)]
    [InlineData("Hourly", null, "EUR", AgreementFormFields.Amount)]
    [InlineData("Hourly", "120", null, AgreementFormFields.Currency)]
    public void Validate_ChecksThePricing_AsAWhole(string? pricing, string? amount, string? currency, string? errorField)
    {
        var errors = AgreementForm.Validate(Valid with { Pricing = pricing, Amount = amount, Currency = currency });

        if (errorField is null) Assert.Empty(errors);
        else Assert.Equal(errorField, Assert.Single(errors).Key);
    }

    [Theory]
    [InlineData("alice@contoso.example", true)]
    [InlineData("alice@contoso.example, carol@contoso.example;", true)]
    [InlineData("alice", false)]
    [InlineData("alice@contoso.example carol@contoso.example", false)]
    public void Validate_ChecksTheOversightOwners_AreAddresses(string oversight, bool valid)
    {
        Assert.Equal(valid, !AgreementForm.Validate(Valid with { Oversight = oversight }).ContainsKey(AgreementFormFields.Oversight));
    }

    [Fact]
    public void Validate_AllowsAtMost25OversightOwners()
    {
        var owners = string.Join(';', Enumerable.Range(1, 26).Select(i => $"owner{i}@contoso.example"));

        Assert.Contains("at most 25", AgreementForm.Validate(Valid with { Oversight = owners })[AgreementFormFields.Oversight], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ReportsEveryProblemAtOnce()
    {
        var values = new AgreementFormValues(null, new string('p', 201), "Gardening", new string('o', 501), "Neither", "soon", "later", "Barter", "lots", "EURO", "nobody");

        var errors = AgreementForm.Validate(values);

        Assert.Equal(11, errors.Count);
    }

    [Fact]
    public void OversightAddresses_SplitsTrimsAndDropsDuplicates()
    {
        Assert.Equal(["alice@contoso.example", "carol@contoso.example"], AgreementForm.OversightAddresses(Valid with { Oversight = " alice@contoso.example;carol@contoso.example , ALICE@contoso.example" }));
        Assert.Empty(AgreementForm.OversightAddresses(Empty));
    }

    [Fact]
    public void Apply_OntoCompleteStandardTerms_GivesTermsWithNoProblems()
    {
        var terms = AgreementForm.Apply(Valid, StandardTerms(), [People.Alice, People.Carol]);

        Assert.Empty(terms.Problems());
        Assert.Equal("Contoso IT Services", terms.ProviderName);
        Assert.Equal([ServiceKind.DataBackupAndRecovery, ServiceKind.HelpDesk, ServiceKind.Other], terms.Services!.Kinds);
        Assert.Equal("Printer fleet care", terms.Services.OtherDescription);
        Assert.Equal(SupportCoverage.Both, terms.Coverage);
        Assert.Equal(new DateOnly(2026, 2, 1), terms.StartDate);
        Assert.Equal(new DateOnly(2027, 1, 31), terms.EndDate);
        Assert.Equal(new Pricing(PricingStructure.MonthlyRetainer, 4500m, "EUR"), terms.Pricing);
        Assert.Equal([People.Alice, People.Carol], terms.OversightOwners);
    }

    [Fact]
    public void Apply_KeepsTheSectionsTheFormDoesNotEdit_FromTheBaseTerms()
    {
        var baseTerms = StandardTerms();

        var terms = AgreementForm.Apply(Valid, baseTerms, [People.Alice]);

        Assert.Same(baseTerms.ServiceLevels, terms.ServiceLevels);
        Assert.Same(baseTerms.Escalation, terms.Escalation);
        Assert.Same(baseTerms.CommunicationPlan, terms.CommunicationPlan);
        Assert.Same(baseTerms.Kpis, terms.Kpis);
        Assert.Same(baseTerms.BusinessCalendar, terms.BusinessCalendar);
        Assert.Same(baseTerms.TerminationNotice, terms.TerminationNotice);
    }

    [Fact]
    public void Apply_ClearsTheSectionsLeftEmpty_SoADraftCanBeSavedIncomplete()
    {
        var terms = AgreementForm.Apply(Empty with { Name = "Contoso" }, SampleTerms.Complete(), []);

        Assert.Null(terms.ProviderName);
        Assert.Null(terms.Services);
        Assert.Null(terms.Coverage);
        Assert.Null(terms.StartDate);
        Assert.Null(terms.EndDate);
        Assert.Null(terms.Pricing);
        Assert.Empty(terms.OversightOwners);
        Assert.Equal(
            new[] { nameof(AgreementTerms.ProviderName), nameof(AgreementTerms.OversightOwners), nameof(AgreementTerms.Services), nameof(AgreementTerms.Coverage), nameof(AgreementTerms.StartDate), nameof(AgreementTerms.EndDate), nameof(AgreementTerms.Pricing), nameof(AgreementTerms.AdditionalServices) },
            terms.Problems().Select(p => p.Field).Distinct());
    }

    [Fact]
    public void Apply_DropsADuplicateOwner()
    {
        var terms = AgreementForm.Apply(Valid, StandardTerms(), [People.Alice, new PersonId("ALICE")]);

        Assert.Equal([People.Alice], terms.OversightOwners);
    }

    [Fact]
    public void Apply_Throws_WhenTheValuesDoNotValidate()
    {
        var error = Assert.Throws<ArgumentException>(() => AgreementForm.Apply(Valid with { EndDate = "2020-01-01" }, StandardTerms(), []));

        Assert.Contains("endDate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromTerms_ThenParse_GivesTheSameValues_AndApplyGivesTheSameTerms()
    {
        var terms = SampleTerms.Complete();

        var values = AgreementForm.FromTerms("Contoso support 2026", terms, AgreementStates.EmailOf);
        var parsed = AgreementForm.Parse(AsActionData(values));
        var applied = AgreementForm.Apply(parsed, terms, terms.OversightOwners);

        Assert.Equal(values, parsed);
        Assert.Empty(AgreementForm.Validate(parsed));
        Assert.Equal("DataBackupAndRecovery,HelpDesk,Other", values.Services);
        Assert.Equal("alice@contoso.example; carol@contoso.example", values.Oversight);
        Assert.Equal("4500", values.Amount);
        Assert.Equal(["alice@contoso.example", "carol@contoso.example"], AgreementForm.OversightAddresses(parsed));
        Assert.Equal(terms.ProviderName, applied.ProviderName);
        Assert.Equal(terms.Services!.Kinds, applied.Services!.Kinds);
        Assert.Equal(terms.Services.OtherDescription, applied.Services.OtherDescription);
        Assert.Equal(terms.Coverage, applied.Coverage);
        Assert.Equal(terms.StartDate, applied.StartDate);
        Assert.Equal(terms.EndDate, applied.EndDate);
        Assert.Equal(terms.Pricing, applied.Pricing);
        Assert.Equal(terms.OversightOwners, applied.OversightOwners);
        Assert.Empty(applied.Problems());
    }

    [Fact]
    public void FromTerms_KeepsTheAmountsDecimals_AndLeavesOutOwnersWithoutAnAddress()
    {
        var terms = SampleTerms.Complete() with
        {
            Pricing = new Pricing(PricingStructure.Hourly, 120.50m, "usd"),
            OversightOwners = [People.Alice, People.Zed],
        };

        var values = AgreementForm.FromTerms(" Contoso ", terms, AgreementStates.EmailOf);

        Assert.Equal("Contoso", values.Name);
        Assert.Equal("120.50", values.Amount);
        Assert.Equal("USD", values.Currency);
        Assert.Equal("Hourly", values.Pricing);
        Assert.Equal("alice@contoso.example", values.Oversight);
        Assert.Equal(120.50m, AgreementForm.Apply(values, terms, [People.Alice]).Pricing!.Amount);
    }

    [Fact]
    public void FromTerms_OfEmptyTerms_GivesEmptyValues()
    {
        Assert.Equal(Empty with { Name = "Draft" }, AgreementForm.FromTerms("Draft", new AgreementTerms(), _ => null));
    }

    [Theory]
    [InlineData("""{"agreementId":42,"revision":3}""", 42L, 3)]
    [InlineData("""{"agreementId":"42","revision":"3"}""", 42L, 3)]
    [InlineData("""{"agreementId":42}""", 42L, null)]
    [InlineData("""{"agreementId":42,"revision":"x"}""", 42L, null)]
    public void ActionTarget_ReadsTheAgreementAndRevision_AsNumbersOrNumericText(string json, long id, int? revision)
    {
        Assert.Equal(new AgreementActionTarget(id, revision), AgreementActionTarget.Read(JsonDocument.Parse(json).RootElement));
    }

    [Theory]
    [InlineData("""{"revision":3}""")]
    [InlineData("""{"agreementId":"abc"}""")]
    [InlineData("""{"agreementId":-1}""")]
    [InlineData("""{"agreementId":1.5}""")]
    [InlineData("""[42]""")]
    public void ActionTarget_IsNull_WithoutAValidAgreementId(string json)
    {
        Assert.Null(AgreementActionTarget.Read(JsonDocument.Parse(json).RootElement));
        Assert.Null(AgreementActionTarget.Read(null));
    }
}
