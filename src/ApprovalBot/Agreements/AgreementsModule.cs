using ApprovalBot.Agreements.Cards;
using ApprovalBot.Agreements.Teams;
using ApprovalBot.Protocol.Routing;

namespace ApprovalBot.Agreements;

/// <summary>Agreements: drafting, revising and submitting them for approval, from chat and the API.</summary>
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
        services.AddActivityRoutes(r => r
            .OnCommand<AgreementCommandHandler>(AgreementCommandHandler.Info)
            .OnCardAction<AgreementActionHandler>(AgreementVerbs.Create)
            .OnCardAction<AgreementActionHandler>(AgreementVerbs.Revise)
            .OnCardAction<AgreementActionHandler>(AgreementVerbs.Submit)
            .OnCardAction<AgreementActionHandler>(AgreementVerbs.Edit)
            .OnCardAction<AgreementActionHandler>(AgreementVerbs.Show));
        return builder;
    }
}
