using ApprovalBot.Approvals.Cards;
using ApprovalBot.Approvals.Teams;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Scheduling;
using ApprovalBot.Teams;

namespace ApprovalBot.Approvals;

/// <summary>Approvals: flows, use cases, cards, commands, card actions and timers.</summary>
public static class ApprovalsModule
{
    public static IHostApplicationBuilder AddApprovals(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ApprovalsOptions>().Bind(builder.Configuration.GetSection(ApprovalsOptions.SectionName))
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "Approvals:TimeZone must be an IANA time zone id such as Europe/Berlin.")
            .Validate(o => o.TwentyFourSeven || (o.WorkDayStart >= TimeSpan.Zero && o.WorkDayEnd < TimeSpan.FromDays(1) && o.WorkDayEnd > o.WorkDayStart), "Approvals:WorkDayStart and WorkDayEnd must be times of day, the end after the start.")
            .Validate(o => o.AdHocSlaHours > 0, "Approvals:AdHocSlaHours must be positive.")
            .Validate(o => o.AdHocReminderHours >= 0 && (o.AdHocReminderHours == 0 || (o.AdHocReminderHours >= 0.25 && o.AdHocReminderHours < o.AdHocSlaHours)),
                "Approvals:AdHocReminderHours must be 0 (none) or between 0.25 and Approvals:AdHocSlaHours.")
            .Validate(o => o.OutOfOffice.DelegatesAreValid(),
                "Approvals:OutOfOffice:Delegates maps an approver's e-mail address, UPN or object id to their delegate's; neither may be empty, and nobody can be their own delegate.")
            .ValidateOnStart();
        services.AddSingleton<ApprovalFlows>();
        services.AddSingleton<ApprovalClock>();
        services.AddSingleton<ApprovalCards>();
        services.AddSingleton<RequestFormCards>();
        services.AddScoped<TeamsPeople>();
        services.AddScoped<ApprovalMessages>();
        services.AddScoped<ApprovalTimers>();
        services.AddScoped<SubmitApproval>();
        services.AddScoped<DecideApproval>();
        services.AddScoped<ResubmitApproval>();
        services.AddTimerHandler<ApprovalTimerHandler>(ApprovalTimers.Kind);
        services.AddSingleton<ApprovalTimerAuditor>();
        services.AddHostedService(sp => sp.GetRequiredService<ApprovalTimerAuditor>());

        services.AddActivityRoutes(r => r
            .OnCommand<ApprovalsCommandHandler>(ApprovalsCommandHandler.Info)
            .OnCommand<RequestCommandHandler>(RequestCommandHandler.Info)
            .OnCommand<StatusCommandHandler>(StatusCommandHandler.Info)
            .OnCardAction<DecideActionHandler>(ApprovalVerbs.Approve)
            .OnCardAction<DecideActionHandler>(ApprovalVerbs.Reject)
            .OnCardAction<DecideActionHandler>(ApprovalVerbs.RequestChanges)
            .OnCardAction<DecideActionHandler>(ApprovalVerbs.Delegate)
            .OnCardAction<ViewApprovalHandler>(ApprovalVerbs.Refresh)
            .OnCardAction<ViewApprovalHandler>(ApprovalVerbs.Open)
            .OnCardAction<ResubmitActionHandler>(ApprovalVerbs.Resubmit)
            .OnCardAction<SubmitRequestFormHandler>(RequestFormVerbs.Submit));
        return builder;
    }
}
