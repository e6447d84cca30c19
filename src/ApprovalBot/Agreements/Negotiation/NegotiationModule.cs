using ApprovalBot.Protocol.Routing;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Agreements.Negotiation;

/// <summary>Negotiation with the provider (docs/agreements.md#negotiation-with-the-provider): the stage per flow, the negotiation card, the provider's answers.</summary>
public static class NegotiationModule
{
    public static IHostApplicationBuilder AddAgreementNegotiation(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<NegotiationOptions>().Bind(builder.Configuration.GetSection(NegotiationOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NegotiationOptions>, NegotiationOptionsValidator>();
        services.AddScoped<ProviderNegotiation>();
        services.AddScoped<NegotiationMessages>();
        services.AddScoped<DecideNegotiation>();
        services.AddActivityRoutes(r => r
            .OnCardAction<NegotiationActionHandler>(NegotiationVerbs.Accept)
            .OnCardAction<NegotiationActionHandler>(NegotiationVerbs.RequestChanges));
        return builder;
    }
}
