using System.Text.Json;
using ApprovalBot.Agreements.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.UnitTests.Agreements.Cards;

/// <summary>The form's fifth step, "Data protection": our contacts, the provider's contact, the breach notification deadline in hours.</summary>
public class AgreementFormDataProtectionTests
{
    private static readonly AgreementFormValues Named = new("Contoso", "Contoso IT Services", null, null, null, null, null, null, null, null, null);

    private static readonly ContactPoint Megan = new("Megan Bowen", new PersonId("megan"), "meganb@example.com", role: "Data protection");

    private static readonly AgreementFormSection[] Step = [AgreementFormSection.DataProtection];

    private static AgreementFormPeople PeopleOf(IReadOnlyList<PersonId> oversight, params ContactPoint[] dataProtection) =>
        new(oversight, [], [], []) { DataProtection = dataProtection };

    [Fact]
    public void TheInputs_AreOnTheFifthStep_DataProtection()
    {
        Assert.Equal(AgreementFormSection.DataProtection, AgreementFormSections.All[^1]);
        Assert.Equal(5, AgreementFormSections.All.Count);
        Assert.Equal("Data protection", AgreementFormSections.Title(AgreementFormSection.DataProtection));
        Assert.Equal(AgreementFormSection.DataProtection, AgreementFormSections.Parse("dataprotection"));
        Assert.All([AgreementFormFields.DataProtectionContacts, AgreementFormFields.ProviderDataProtectionContact, AgreementFormFields.BreachDeadlineHours],
            id => Assert.Equal(AgreementFormSection.DataProtection, AgreementFormSections.SectionOf(id)));
    }

    [Fact]
    public void Validate_OfAStep_ShowsTheDataProtectionProblemsOnlyOnTheirStep()
    {
        var values = Named with { DataProtectionContacts = "not-an-address", BreachDeadlineHours = "0" };

        Assert.Equal([AgreementFormFields.DataProtectionContacts, AgreementFormFields.BreachDeadlineHours],
            AgreementForm.Validate(values, AgreementFormSection.DataProtection).Keys.Order(StringComparer.Ordinal));
        Assert.Empty(AgreementForm.Validate(values, AgreementFormSection.Basics));
    }

    [Fact]
    public void Place_PutsAMissingDataProtectionSection_UnderTheProvidersContactOfItsStep()
    {
        var terms = SampleTerms.Complete() with { DataProtection = null };

        var problem = Assert.Single(terms.Problems(), p => p.Field == nameof(AgreementTerms.DataProtection));

        Assert.Equal((AgreementFormSection.DataProtection, AgreementFormFields.ProviderDataProtectionContact), AgreementFormSections.Place(problem, terms));
    }

    [Fact]
    public void Apply_OfAnotherStep_LeavesTheDataProtectionTermsAsTheyAre()
    {
        var current = SampleTerms.Complete();

        var terms = AgreementForm.Apply(Named with { ProviderDataProtectionContact = "dpo@contoso.example", BreachDeadlineHours = "24" }, current,
            PeopleOf([People.Alice], Megan), [AgreementFormSection.Basics]);

        Assert.Same(current.DataProtection, terms.DataProtection);
    }

    [Fact]
    public void Parse_ReadsTheSection_AndAnHourCountGivenAsANumber()
    {
        var values = AgreementForm.Parse(JsonSerializer.SerializeToElement(new
        {
            name = "Contoso",
            dpContacts = " meganb@example.com; alexw@example.com ",
            dpProviderContact = "privacy@contoso.example",
            dpDeadlineHours = 48,
        }));

        Assert.Equal(("meganb@example.com; alexw@example.com", "privacy@contoso.example", "48"),
            (values.DataProtectionContacts, values.ProviderDataProtectionContact, values.BreachDeadlineHours));
        Assert.Equal(["meganb@example.com", "alexw@example.com"], AgreementForm.DataProtectionAddresses(values));
    }

    [Theory]
    [InlineData("dpContacts", "not-an-address", null, null)]
    [InlineData("dpProviderContact", null, "privacy at contoso", null)]
    [InlineData("dpDeadlineHours", null, null, "0")]
    [InlineData("dpDeadlineHours", null, null, "721")]
    [InlineData("dpDeadlineHours", null, null, "1.5")]
    public void Validate_ShowsTheProblemUnderItsInput(string field, string? contacts, string? provider, string? hours)
    {
        var errors = AgreementForm.Validate(Named with { DataProtectionContacts = contacts, ProviderDataProtectionContact = provider, BreachDeadlineHours = hours });

        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void Apply_KeepsTheSection_WhenTheStepIsLeftBlank()
    {
        var current = SampleTerms.Complete();

        var terms = AgreementForm.Apply(Named, current, PeopleOf([People.Alice]), Step);

        Assert.Equal(current.DataProtection!.ProviderContacts, terms.DataProtection!.ProviderContacts);
        Assert.Equal(current.DataProtection.OurContacts, terms.DataProtection.OurContacts);
        Assert.Equal(TimeSpan.FromHours(72), terms.DataProtection.NotificationDeadline);
    }

    [Fact]
    public void Apply_TakesTheContactsAndHoursTyped()
    {
        var values = Named with { ProviderDataProtectionContact = "dpo@contoso.example", BreachDeadlineHours = "24" };

        var terms = AgreementForm.Apply(values, SampleTerms.Complete(), PeopleOf([People.Alice], Megan), Step);

        Assert.Equal([Megan], terms.DataProtection!.OurContacts);
        var provider = Assert.Single(terms.DataProtection.ProviderContacts);
        Assert.Equal(("Contoso IT Services data protection", "dpo@contoso.example"), (provider.Name, provider.Email));
        Assert.Equal(TimeSpan.FromHours(24), terms.DataProtection.NotificationDeadline);
    }

    [Fact]
    public void Apply_WithNoDataProtectionTerms_StartsFromTheOversightOwnersAnd72Hours_OnceTheProviderSideIsNamed()
    {
        var bare = SampleTerms.Complete() with { DataProtection = null };

        Assert.Null(AgreementForm.Apply(Named, bare, PeopleOf([People.Alice]), Step).DataProtection);
        var terms = AgreementForm.Apply(Named with { ProviderDataProtectionContact = "dpo@contoso.example" }, bare with { OversightOwners = [People.Alice, People.Carol] }, PeopleOf([People.Alice, People.Carol]), Step);

        Assert.Equal([People.Alice, People.Carol], terms.DataProtection!.OurContacts.Select(c => c.Person!.Value));
        Assert.Equal(TimeSpan.FromHours(72), terms.DataProtection.NotificationDeadline);
        Assert.DoesNotContain(terms.Problems(), p => p.Field == nameof(AgreementTerms.DataProtection));
    }

    [Fact]
    public void Apply_OfAFormPostedWithoutAStep_ReadsTheDataProtectionInputsToo()
    {
        var values = Named with { ProviderDataProtectionContact = "dpo@contoso.example", BreachDeadlineHours = "24" };

        var terms = AgreementForm.Apply(values, SampleTerms.Complete(), [People.Alice], [Megan]);

        Assert.Equal([Megan], terms.DataProtection!.OurContacts);
        Assert.Equal(TimeSpan.FromHours(24), terms.DataProtection.NotificationDeadline);
    }

    [Fact]
    public void FromTerms_PrefillsTheSection_WithTheContactsInTeamsAsTheirEMail()
    {
        var values = AgreementForm.FromTerms("Contoso", SampleTerms.Complete(), p => p == People.Alice ? "alice@contoso.example" : null);

        Assert.Equal(("alice@contoso.example", "privacy@contoso.example", "72"),
            (values.DataProtectionContacts, values.ProviderDataProtectionContact, values.BreachDeadlineHours));
    }
}
