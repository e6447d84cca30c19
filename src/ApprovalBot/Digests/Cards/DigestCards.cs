using System.Text.Json;
using System.Text.Json.Nodes;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Digests.Cards;

/// <summary>
/// Renders the digest card (<c>cards/digest.json</c>) through the one <see cref="CardRenderer"/>. Should the card measure
/// over the renderer's budget (many long items), it is built again with half the rows per section, down to none.
/// </summary>
public sealed class DigestCards(CardRenderer renderer)
{
    public JsonObject Render(Digest digest, TimeZoneInfo zone) =>
        renderer.RenderShrinking(CardTemplates.Digest, DigestCardModel.MaxRows, 0, rows => DigestCardModel.Build(digest, zone, rows));

    /// <summary>A subscribed digest's card with its footer, and the data it was drawn from (kept with the delivery).</summary>
    public (JsonObject Card, DigestCardData Data) RenderDelivered(Digest digest, TimeZoneInfo zone, DigestDeliverySection delivery)
    {
        DigestCardData data = null!;
        var card = renderer.RenderShrinking(CardTemplates.Digest, DigestCardModel.MaxRows, 0,
            rows => data = DigestCardModel.Build(digest, zone, rows) with { Delivery = delivery });
        return (card, data);
    }

    /// <summary>A delivered digest drawn again from its kept data (with a new footer: who has read it).</summary>
    public JsonObject Render(DigestCardData data) => renderer.Render(CardTemplates.Digest, data);

    /// <summary>The kept form of a delivered card's data (JSON, the renderer's data options).</summary>
    public static string Keep(DigestCardData data) => JsonSerializer.Serialize(data, CardRenderer.DataJsonOptions);

    public static DigestCardData? Read(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<DigestCardData>(json, CardRenderer.DataJsonOptions);
}
