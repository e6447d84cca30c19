using ApprovalBot.Escalations.Cards;
using ApprovalBot.Escalations.Teams;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Scheduling;

namespace ApprovalBot.Escalations;

/// <summary>Support escalations: the card, the use cases and the durable timers that climb L1 → L2 → L3.</summary>
public static class EscalationsModule
{
    public static IHostApplicationBuilder AddEscalations(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<EscalationsOptions>().Bind(builder.Configuration.GetSection(EscalationsOptions.SectionName))
            .Validate(o => o.ReopenWindow >= TimeSpan.FromMinutes(1) && o.ReopenWindow <= TimeSpan.FromDays(365),
                "Escalations:ReopenWindow must be between 00:01:00 and 365.00:00:00.")
            .Validate(o => o.SurveyInterval >= TimeSpan.Zero && o.SurveyInterval <= TimeSpan.FromDays(365),
                "Escalations:SurveyInterval must be between 00:00:00 (never ask) and 365.00:00:00.")
            .ValidateOnStart();
        services.AddSingleton<EscalationCards>();
        services.AddScoped<EscalationMessages>();
        services.AddScoped<EscalationTimers>();
        services.AddScoped<OpenEscalation>();
        services.AddScoped<ActOnEscalation>();
        services.AddScoped<EscalationChat>();
        services.AddScoped<FindActiveEscalations>();
        services.AddScoped<EscalationReplies>();
        services.AddSingleton<EscalationFormCards>();
        services.AddTimerHandler<EscalationTimerHandler>(EscalationTimers.Kind);
        services.AddSingleton<EscalationTimerAuditor>();
        services.AddHostedService(sp => sp.GetRequiredService<EscalationTimerAuditor>());
        services.AddActivityRoutes(r =>
        {
            r.OnCommand<EscalateCommandHandler>(EscalateCommandHandler.Info)
                .OnCommand<ListCommandHandler>(ListCommandHandler.Info)
                .OnCommand<WhoCommandHandler>(WhoCommandHandler.Info)
                .OnCardAction<EscalationActionHandler>(EscalationVerbs.Acknowledge)
                .OnCardAction<EscalationActionHandler>(EscalationVerbs.Resolve)
                .OnCardAction<EscalationActionHandler>(EscalationVerbs.Escalate)
                .OnCardAction<EscalationActionHandler>(EscalationVerbs.Hold)
                .OnCardAction<EscalationActionHandler>(EscalationVerbs.Resume)
                .OnCardAction<EscalationRefreshHandler>(EscalationVerbs.Refresh)
                .OnCardAction<OpenEscalationCardHandler>(EscalationVerbs.Open)
                .OnCardAction<SubmitEscalationFormHandler>(EscalationVerbs.Submit)
                .OnCardAction<EscalationSurveyHandler>(EscalationVerbs.Survey)
                .OnCommand<AssignCommandHandler>(EscalationCommands.Assign);
            foreach (var command in EscalationCommands.Simple) r.OnCommand<EscalationCommandHandler>(command.Info);
        });
        return builder;
    }
}
