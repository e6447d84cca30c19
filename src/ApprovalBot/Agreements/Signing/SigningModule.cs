using ApprovalBot.Protocol.Routing;

namespace ApprovalBot.Agreements.Signing;

/// <summary>Signing (docs/agreements.md#signing): signatories per flow, the signing card, the last signature activates.</summary>
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
        return builder;
    }
}
