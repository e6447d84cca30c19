using System.Text.Json.Nodes;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Kpis.Cards;

/// <summary>Renders the KPI card (<c>cards/kpi.json</c>) through the one <see cref="CardRenderer"/>.</summary>
public sealed class KpiCards(CardRenderer renderer)
{
    public JsonObject Render(KpiResult result, TimeZoneInfo zone) => renderer.Render(CardTemplates.Kpi, KpiCardModel.Build(result, zone));
}
