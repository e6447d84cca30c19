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
}
