using System.Text.Json.Nodes;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Kpis.Cards;

/// <summary>
/// Renders the KPI card (<c>cards/kpi.json</c>) through the one <see cref="CardRenderer"/>. Should the card measure
/// over the renderer's budget (many agreements with long names), it is built again with half the agreement lines.
/// </summary>
public sealed class KpiCards(CardRenderer renderer)
{
    public JsonObject Render(KpiResult result, TimeZoneInfo zone)
    {
        for (var lines = KpiCardModel.MaxAgreements; ; lines /= 2)
        {
            try
            {
                return renderer.Render(CardTemplates.Kpi, KpiCardModel.Build(result, zone, lines));
            }
            catch (CardTooLargeException) when (lines > 0)
            {
                // Too many bytes: fewer agreement lines (the API lists them all).
            }
        }
    }
}
