using ApprovalBot.Agreements.Announcement;
using ApprovalBot.Agreements.Cards;
using ApprovalBot.Agreements.Documents;
using ApprovalBot.Agreements.Negotiation;
using ApprovalBot.Agreements.Signing;
using ApprovalBot.Agreements.Term;
using ApprovalBot.Agreements.Teams;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Scheduling;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Agreements;

/// <summary>
/// Agreements: drafting, revising and submitting them for approval, from chat and the API; the announcement when one
/// comes into force; the end of its term.
/// </summary>
public static class AgreementsModule
{
    public static IHostApplicationBuilder AddAgreements(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<AgreementCards>();
        services.AddSingleton<StandardTerms>();
        services.AddScoped<AgreementViews>();
        services.AddScoped<CreateAgreementDraft>();
        services.AddScoped<ReviseAgreement>();
        services.AddScoped<SubmitAgreement>();
        services.AddScoped<Teams.SaveAgreementForm>();
        services.AddOptions<TermOptions>().Bind(builder.Configuration.GetSection(TermOptions.SectionName))
            .Validate(o => o.ReminderLeadDays is null || o.ReminderLeadDays.All(d => d is >= 1 and <= 366),
                "Agreements:Term:ReminderLeadDays must each be between 1 and 366 days.")
            .Validate(o => o.ReminderTimeOfDay >= TimeSpan.Zero && o.ReminderTimeOfDay < TimeSpan.FromDays(1),
                "Agreements:Term:ReminderTimeOfDay must be a time of day between 00:00:00 and 23:59:59.")
            .ValidateOnStart();
        services.AddSingleton<TermClock>();
        services.AddScoped<TermMessages>();
        services.AddScoped<TermTimers>();
        services.AddScoped<DecideTerm>();
        services.AddTimerHandler<TermTimerHandler>(TermTimers.Kind);
        services.AddSingleton<TermTimerAuditor>();
        services.AddHostedService(sp => sp.GetRequiredService<TermTimerAuditor>());
        services.AddSingleton<IAgreementActivatedListener, TermActivation>();
        services.AddScoped<IAgreementOutcomeStage, RenewalOutcome>();
        services.AddOptions<AnnouncementOptions>().Bind(builder.Configuration.GetSection(AnnouncementOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AnnouncementOptions>, AnnouncementOptionsValidator>();
        services.AddScoped<AnnouncementMessages>();
        services.AddScoped<AcknowledgeAnnouncement>();
        services.AddScoped<IAgreementOutcomeStage, AnnounceOnActivation>();
        services.AddActivityRoutes(r => r
            .OnCommand<AgreementCommandHandler>(AgreementCommandHandler.Info)
            .OnCardAction<AgreementActionHandler>(AgreementVerbs.Create)
            .OnCardAction<AgreementActionHandler>(AgreementVerbs.Revise)
            .OnCardAction<AgreementActionHandler>(AgreementVerbs.Submit)
            .OnCardAction<AgreementActionHandler>(AgreementVerbs.Edit)
            .OnCardAction<AgreementActionHandler>(AgreementVerbs.Show)
            .OnCommand<TerminateCommandHandler>(TerminateCommandHandler.Info)
            .OnCardAction<TermActionHandler>(TermVerbs.Renew)
            .OnCardAction<TermActionHandler>(TermVerbs.LetExpire)
            .OnCardAction<TermActionHandler>(TermVerbs.Terminate)
            .OnCardAction<AnnouncementAcknowledgeHandler>(AnnouncementVerbs.Acknowledge));
        builder.AddAgreementDocuments();
        builder.AddAgreementSigning();
        builder.AddAgreementNegotiation();
        return builder;
    }
}
