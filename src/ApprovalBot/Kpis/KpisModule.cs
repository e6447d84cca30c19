using ApprovalBot.Kpis.Cards;
using ApprovalBot.Kpis.Teams;
using ApprovalBot.Protocol.Routing;

namespace ApprovalBot.Kpis;

/// <summary>KPIs over the stored escalations: the use case, the card and the <c>kpi</c> command (the API is <c>MapKpisApi</c>).</summary>
public static class KpisModule
{
    public static IHostApplicationBuilder AddKpis(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<ComputeKpis>();
        services.AddSingleton<KpiCards>();
        services.AddActivityRoutes(r => r.OnCommand<KpiCommandHandler>(KpiCommandHandler.Info));
        return builder;
    }
}
