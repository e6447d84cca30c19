using System.Text.Json.Nodes;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Digests.Cards;

/// <summary>
/// Renders the digest card (<c>cards/digest.json</c>) through the one <see cref="CardRenderer"/>. Should the card measure
/// over the renderer's budget (many long items), it is built again with half the rows per section, down to none.
/// </summary>
public sealed class DigestCards(CardRenderer renderer)
{
    public JsonObject Render(Digest digest, TimeZoneInfo zone)
    {
        for (var rows = DigestCardModel.MaxRows; ; rows /= 2)
        {
            try
            {
                return renderer.Render(CardTemplates.Digest, DigestCardModel.Build(digest, zone, rows));
            }
            catch (CardTooLargeException) when (rows > 0)
            {
                // Too many bytes: fewer rows in every section (the counts and "and N more" say what is left out).
            }
        }
    }
}
