using System.Text.Json.Nodes;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Storage;

namespace ApprovalBot.IntegrationTests.Storage;

/// <summary>Terms stored before a term existed still load: the new parts read as not given.</summary>
public sealed class TermsJsonCompatibilityTests
{
    [Fact]
    public void TermsStoredBeforeDrafting_Load_WithNoAdditionalServicesResponsibilitiesOrConstraints()
    {
        var stored = JsonNode.Parse(StorageJson.Serialize(SampleTerms.Complete()))!.AsObject();
        Assert.True(stored.Remove("additionalServices") && stored.Remove("responsibilities") && stored.Remove("supportConstraints"));

        var terms = StorageJson.Deserialize<AgreementTerms>(stored.ToJsonString());

        Assert.Empty(terms.AdditionalServices);
        Assert.Null(terms.Responsibilities);
        Assert.Empty(terms.SupportConstraints);
        Assert.Equal(SampleTerms.Complete().Pricing, terms.Pricing);
        Assert.Equal(["Responsibilities"], terms.Problems().Select(p => p.Field));
    }

    [Fact]
    public void TheNewTerms_RoundTrip_AsStored()
    {
        var json = StorageJson.Serialize(SampleTerms.Complete());

        Assert.Contains("\"responsibilities\":{\"ours\":[\"Keep the device inventory current\"", json, StringComparison.Ordinal);
        Assert.Contains("\"additionalServices\":[{\"name\":\"On-site visit\",\"price\":150}", json, StringComparison.Ordinal);
        Assert.Equivalent(SampleTerms.Complete(), StorageJson.Deserialize<AgreementTerms>(json), strict: true);
    }
}
