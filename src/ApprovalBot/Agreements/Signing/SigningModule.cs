using ApprovalBot.Protocol.Routing;
using ApprovalBot.Scheduling;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Agreements.Signing;

/// <summary>
/// Signing (docs/agreements.md#signing): signatories per flow, the signing card, the last signature activates; the
/// signing meeting (<c>signing meeting</c>, its API, reminders and in Graph mode the calendar event, on durable timers).
/// </summary>
public static class SigningModule
{
    public static IHostApplicationBuilder AddAgreementSigning(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SigningOptions>().Bind(builder.Configuration.GetSection(SigningOptions.SectionName))
            .Validate(o => o.EntriesAreValid(),
                "Agreements:Signing:Signatories: each flow's entries must be 'provider', 'group:<name>' or 'people:<id>,<id>'.")
            .ValidateOnStart();
        services.AddScoped<AgreementSigning>();
        services.AddScoped<SigningMessages>();
        services.AddScoped<SignAgreement>();
        services.AddActivityRoutes(r => r.OnCardAction<SignActionHandler>(SigningVerbs.Sign));

        services.AddSingleton<IValidateOptions<SigningOptions>, SigningMeetingOptionsValidator>();
        services.AddScoped<SigningMeetingMessages>();
        services.AddScoped<SigningMeetingTimers>();
        services.AddScoped<SigningMeetingCalendar>();
        services.AddScoped<ScheduleSigningMeeting>();
        services.AddTimerHandler<SigningMeetingReminderHandler>(SigningMeetingTimers.ReminderKind);
        services.AddTimerHandler<SigningMeetingCalendarHandler>(SigningMeetingTimers.CalendarKind);
        services.AddSingleton<SigningMeetingAuditor>();
        services.AddHostedService(sp => sp.GetRequiredService<SigningMeetingAuditor>());
        services.AddSingleton<IAgreementActivatedListener, SigningMeetingActivation>();
        services.AddActivityRoutes(r => r.OnCommand<SigningMeetingCommandHandler>(SigningMeetingCommandHandler.Info));
        return builder;
    }
}
