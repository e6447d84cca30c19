using ApprovalBot.Breaches.Cards;
using ApprovalBot.Breaches.Teams;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Scheduling;

namespace ApprovalBot.Breaches;

/// <summary>Data-protection incidents (issue 10): <c>breach</c>, the incident card's Acknowledge, the notification clock, the API.</summary>
public static class BreachesModule
{
    public static IHostApplicationBuilder AddBreaches(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<BreachMessages>();
        services.AddScoped<BreachTimers>();
        services.AddScoped<ReportBreach>();
        services.AddScoped<ActOnBreach>();
        services.AddTimerHandler<BreachTimerHandler>(BreachTimers.Kind);
        services.AddSingleton<BreachTimerAuditor>();
        services.AddHostedService(sp => sp.GetRequiredService<BreachTimerAuditor>());
        services.AddActivityRoutes(r => r
            .OnCommand<BreachCommandHandler>(BreachCommandHandler.Info)
            .OnCardAction<BreachActionHandler>(BreachVerbs.Acknowledge));
        return builder;
    }
}
