using System.Text.Json.Nodes;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Protocol.Schema;

namespace ApprovalBot.IntegrationTests.Approvals;

/// <summary>The people of the default directory file (src/ApprovalBot/Directory/directory.sample.json) as Teams users.</summary>
internal static class Cast
{
    public static readonly TestUser Alex = new("29:alex", "Alex Wilber", "00000000-0000-0000-0000-0000000000020");      // requester
    public static readonly TestUser Megan = new("29:megan", "Megan Bowen", "00000000-0000-0000-0000-0000000000021");    // Alex's manager
    public static readonly TestUser Adele = new("29:adele", "Adele Vance", "00000000-0000-0000-0000-0000000000022");    // Legal
    public static readonly TestUser Isaiah = new("29:isaiah", "Isaiah Langer", "00000000-0000-0000-0000-0000000000023"); // Legal
    public static readonly TestUser Patti = new("29:patti", "Patti Fernandez", "00000000-0000-0000-0000-0000000000024"); // Management
    public static readonly TestUser Lynne = new("29:lynne", "Lynne Robbins", "00000000-0000-0000-0000-0000000000025");  // Management, Megan's manager
}

/// <summary>Reading approval cards as a user sees them: which buttons there are and what they send.</summary>
internal static class Cards
{
    /// <summary>Every Action.Execute in the card (ShowCard sub-cards included), by verb.</summary>
    public static IReadOnlyList<JsonObject> Actions(JsonNode? card)
    {
        var found = new List<JsonObject>();
        Walk(card, found);
        return found;

        static void Walk(JsonNode? node, List<JsonObject> found)
        {
            switch (node)
            {
                case JsonObject o:
                    // Buttons only: the refresh's own Action.Execute (refresh.action) is not something a user clicks.
                    if (o["type"]?.GetValue<string>() == "Action.Execute" && !(o.Parent is JsonObject && o.GetPropertyName() == "action")) found.Add(o);
                    foreach (var (_, value) in o) Walk(value, found);
                    break;
                case JsonArray a:
                    foreach (var item in a) Walk(item, found);
                    break;
            }
        }
    }

    public static IReadOnlyList<string> Verbs(JsonNode? card) => [.. Actions(card).Select(a => a["verb"]!.GetValue<string>())];

    /// <summary>The data the button with <paramref name="verb"/> sends, plus the given input values (as Teams merges them).</summary>
    public static JsonObject Click(JsonNode? card, string verb, string? comment = null, string? delegateTo = null)
    {
        var action = Actions(card).FirstOrDefault(a => a["verb"]?.GetValue<string>() == verb)
            ?? throw new Xunit.Sdk.XunitException($"The card has no '{verb}' button; it has: {string.Join(", ", Verbs(card))}.");
        var data = action["data"]?.DeepClone() as JsonObject ?? [];
        if (comment is not null) data["comment"] = comment;
        if (delegateTo is not null) data["delegateTo"] = delegateTo;
        return data;
    }

    public static JsonObject? Refresh(JsonNode? card) => card?["refresh"] as JsonObject;

    public static IReadOnlyList<string> RefreshUserIds(JsonNode? card) =>
        Refresh(card)?["userIds"] is JsonArray ids ? [.. ids.Select(i => i!.GetValue<string>())] : [];

    public static JsonObject CardOf(Activity activity) =>
        TestConversation.CardOf(activity) ?? throw new Xunit.Sdk.XunitException($"No card in {ProtocolJson.Serialize(activity)}");
}
