using System.Text.Json;
using ApprovalBot.Agreements.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.UnitTests.Agreements.Cards;

/// <summary>The form's "Data protection" section: our contacts, the provider's contact, the breach notification deadline in hours.</summary>
public class AgreementFormDataProtectionTests
{
    private static readonly AgreementFormValues Named = new("Contoso", "Contoso IT Services", null, null, null, null, null, null, null, null, null);

    private static readonly ContactPoint Megan = new("Megan Bowen", new PersonId("megan"), "meganb@example.com", role: "Data protection");

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
    public void Apply_KeepsTheSection_WhenTheFormLeavesItBlank()
    {
        var current = SampleTerms.Complete();

        var terms = AgreementForm.Apply(Named, current, [People.Alice]);

        Assert.Equal(current.DataProtection!.ProviderContacts, terms.DataProtection!.ProviderContacts);
        Assert.Equal(current.DataProtection.OurContacts, terms.DataProtection.OurContacts);
        Assert.Equal(TimeSpan.FromHours(72), terms.DataProtection.NotificationDeadline);
    }

    [Fact]
    public void Apply_TakesTheContactsAndHoursTyped()
    {
        var values = Named with { ProviderDataProtectionContact = "dpo@contoso.example", BreachDeadlineHours = "24" };

        var terms = AgreementForm.Apply(values, SampleTerms.Complete(), [People.Alice], [Megan]);

        Assert.Equal([Megan], terms.DataProtection!.OurContacts);
        var provider = Assert.Single(terms.DataProtection.ProviderContacts);
        Assert.Equal(("Contoso IT Services data protection", "dpo@contoso.example"), (provider.Name, provider.Email));
        Assert.Equal(TimeSpan.FromHours(24), terms.DataProtection.NotificationDeadline);
    }

    [Fact]
    public void Apply_WithoutASection_StartsFromTheOversightOwnersAnd72Hours_OnceTheProviderSideIsNamed()
    {
        var bare = SampleTerms.Complete() with { DataProtection = null };

        Assert.Null(AgreementForm.Apply(Named, bare, [People.Alice]).DataProtection);
        var terms = AgreementForm.Apply(Named with { ProviderDataProtectionContact = "dpo@contoso.example" }, bare, [People.Alice, People.Carol]);

        Assert.Equal([People.Alice, People.Carol], terms.DataProtection!.OurContacts.Select(c => c.Person!.Value));
        Assert.Equal(TimeSpan.FromHours(72), terms.DataProtection.NotificationDeadline);
        Assert.DoesNotContain(terms.Problems(), p => p.Field == nameof(AgreementTerms.DataProtection));
    }

    [Fact]
    public void FromTerms_PrefillsTheSection_WithTheContactsInTeamsAsTheirEMail()
    {
        var values = AgreementForm.FromTerms("Contoso", SampleTerms.Complete(), p => p == People.Alice ? "alice@contoso.example" : null);

        Assert.Equal(("alice@contoso.example", "privacy@contoso.example", "72"),
            (values.DataProtectionContacts, values.ProviderDataProtectionContact, values.BreachDeadlineHours));
    }
}
