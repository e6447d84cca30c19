using System.Text.Json.Nodes;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Storage;
using ApprovalBot.TestSupport;

namespace ApprovalBot.IntegrationTests.Breaches;

/// <summary>The agreements' data-protection terms in the revision's terms JSON column: stored whole, and absent in rows written before they existed.</summary>
public sealed class DataProtectionTermsStorageTests
{
    [Fact]
    public void DataProtection_RoundTripsThroughTheJsonColumn()
    {
        var json = StorageJson.Serialize(SampleTerms.Complete());

        var read = StorageJson.Deserialize<AgreementTerms>(json).DataProtection!;

        Assert.Equal(TimeSpan.FromHours(72), read.NotificationDeadline);
        Assert.Equal(["Alice"], read.OurContacts.Select(c => c.Name));
        Assert.Equal(("Priya Privacy", "privacy@contoso.example", "+1 555 0199"), (read.ProviderContacts[0].Name, read.ProviderContacts[0].Email, read.ProviderContacts[0].Phone));
    }

    [Fact]
    public void TermsStoredBeforeTheSectionExisted_StillLoad_WithoutIt()
    {
        var stored = JsonNode.Parse(StorageJson.Serialize(SampleTerms.Complete()))!.AsObject();
        Assert.True(stored.Remove("dataProtection"));

        var read = StorageJson.Deserialize<AgreementTerms>(stored.ToJsonString());

        Assert.Null(read.DataProtection);
        Assert.Equal("Contoso IT Services", read.ProviderName);
        Assert.Equal([nameof(AgreementTerms.DataProtection)], read.Problems().Select(p => p.Field));
    }
}
