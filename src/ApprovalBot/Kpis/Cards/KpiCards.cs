using System.Text.Json.Nodes;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Kpis.Cards;

/// <summary>
/// Renders the KPI card (<c>cards/kpi.json</c>) through the one <see cref="CardRenderer"/>. Should the card measure
/// over the renderer's budget (many agreements with long names), it is built again with half the agreement lines.
/// </summary>
public sealed class KpiCards(CardRenderer renderer)
{
    public JsonObject Render(KpiResult result, TimeZoneInfo zone) =>
        renderer.RenderShrinking(CardTemplates.Kpi, KpiCardModel.MaxAgreements, 0, lines => KpiCardModel.Build(result, zone, lines));
}
