using System.Text.Json;
using System.Text.Json.Nodes;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.UnitTests.Protocol.Routing;

namespace ApprovalBot.UnitTests.Protocol;

public class SchemaTests
{
    [Theory]
    [InlineData("channel-mention.json")]
    [InlineData("card-action-invoke.json")]
    [InlineData("installation-update.json")]
    public void RoundTrip_KeepsEveryField_WhenTheActivityHasFieldsWeDoNotModel(string fixture)
    {
        var original = JsonNode.Parse(File.ReadAllText(MentionTextTests.Fixture(fixture)))!;
        var activity = JsonSerializer.Deserialize<Activity>(original.ToJsonString(), ProtocolJson.Options)!;
        var again = JsonNode.Parse(JsonSerializer.Serialize(activity, ProtocolJson.Options))!;
        Assert.True(JsonNode.DeepEquals(Normalize(original), Normalize(again)), $"Round trip changed {fixture}:\n{again}");
    }

    [Fact]
    public void Deserialize_KeepsIdsAsOpaqueStrings_WhenTheyAreNotGuids()
    {
        var activity = JsonSerializer.Deserialize<Activity>(
            """{"type":"message","id":"f:abc","from":{"id":"user-id-0","aadObjectId":"00000000-0000-0000-0000-0000000000020"},"conversation":{"id":"a:1;messageid=2@x","tenantId":"00000000-0000-0000-0000-0000000000001"}}""",
            ProtocolJson.Options)!;
        Assert.Equal("user-id-0", activity.From!.Id);
        Assert.Equal("00000000-0000-0000-0000-0000000000001", activity.TenantId);
        Assert.Equal("a:1;messageid=2@x", activity.Conversation!.Id);
    }

    [Fact]
    public void Deserialize_Throws_WhenAFieldHasTheWrongType()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Activity>("""{"type":"message","text":5}""", ProtocolJson.Options));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Activity>("""{"type":"message","conversation":{"isGroup":"yes"}}""", ProtocolJson.Options));
    }

    [Fact]
    public void TenantId_PrefersChannelData_WhenBothCarryATenant()
    {
        var activity = new Activity
        {
            Conversation = new ConversationAccount { TenantId = "conv" },
            ChannelData = new TeamsChannelData { Tenant = new TenantInfo { Id = "channel" } },
        };
        Assert.Equal("channel", activity.TenantId);
    }

    [Fact]
    public void InvokeResponse_CarriesTheOutcomeInTheBody_WhenItIsAnError()
    {
        var response = InvokeResponse.Error(400, "BadRequest", "no");
        Assert.Equal(200, response.Status);
        Assert.Equal(400, response.Body!["statusCode"]!.GetValue<int>());
        Assert.Equal(ContentTypes.Error, response.Body["type"]!.GetValue<string>());
    }

    /// <summary>Timestamps are re-rendered by the serializer; compare them as instants.</summary>
    private static JsonNode Normalize(JsonNode node)
    {
        var copy = node.DeepClone();
        foreach (var field in new[] { "timestamp", "localTimestamp" })
        {
            if (copy[field] is JsonValue v && v.TryGetValue<string>(out var s))
                copy[field] = DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime().ToString("O");
        }
        return copy;
    }
}
