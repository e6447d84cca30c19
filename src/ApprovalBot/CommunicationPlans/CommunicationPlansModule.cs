using ApprovalBot.Agreements;
using ApprovalBot.CommunicationPlans.Teams;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Scheduling;

namespace ApprovalBot.CommunicationPlans;

/// <summary>
/// Communication plans kept: update obligations with their durable timers (reminder, overdue, escalation, missed), the
/// review reminders with their agenda, the <c>update</c> command and the auditor (the API is <c>MapProviderUpdatesApi</c>).
/// </summary>
public static class CommunicationPlansModule
{
    public static readonly TimeSpan MaxSetting = TimeSpan.FromDays(30);

    public static IHostApplicationBuilder AddCommunicationPlans(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CommunicationPlansOptions>().Bind(builder.Configuration.GetSection(CommunicationPlansOptions.SectionName))
            .Validate(o => o.ReminderBefore >= TimeSpan.Zero && o.ReminderBefore <= MaxSetting,
                "CommunicationPlans:ReminderBefore must be between 00:00:00 (no reminder) and 30.00:00:00.")
            .Validate(o => o.OverdueEscalationAfter >= TimeSpan.FromMinutes(1) && o.OverdueEscalationAfter <= MaxSetting,
                "CommunicationPlans:OverdueEscalationAfter must be between 00:01:00 and 30.00:00:00.")
            .Validate(o => o.ReviewReminderBefore >= TimeSpan.Zero && o.ReviewReminderBefore <= MaxSetting,
                "CommunicationPlans:ReviewReminderBefore must be between 00:00:00 (at the review's start) and 30.00:00:00.")
            .ValidateOnStart();
        services.AddScoped<PlanMessages>();
        services.AddScoped<PlanTimers>();
        services.AddScoped<UpdateObligations>();
        services.AddScoped<PostProviderUpdate>();
        services.AddTimerHandler<UpdateTimerHandler>(PlanTimers.UpdateKind);
        services.AddTimerHandler<ReviewTimerHandler>(PlanTimers.ReviewKind);
        services.AddSingleton<PlanTimerAuditor>();
        services.AddHostedService(sp => sp.GetRequiredService<PlanTimerAuditor>());
        // A newly Active agreement gets its first update obligation and timers now, not at the auditor's next round.
        services.AddSingleton<IAgreementActivatedListener, PlanActivation>();
        services.AddActivityRoutes(r => r.OnCommand<UpdateCommandHandler>(UpdateCommandHandler.Info));
        return builder;
    }
}
