using ApprovalBot.Approvals.Cards;
using ApprovalBot.Protocol.Routing;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Agreements.Documents;

/// <summary>Agreement documents pinned by hash: upload (API and chat attachments), store, signed links, the approval card's list.</summary>
public static class DocumentsModule
{
    public static IHostApplicationBuilder AddAgreementDocuments(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<DocumentsOptions>().Bind(builder.Configuration.GetSection(DocumentsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DocumentsOptions>, DocumentsOptionsValidation>();
        services.AddSingleton<DocumentIntake>();
        services.AddSingleton<DocumentLinks>();
        services.AddScoped<IDocumentStore>(sp => sp.GetRequiredService<IOptions<DocumentsOptions>>().Value.Store == DocumentStoreKind.Folder
            ? new FolderDocumentStore(sp.GetRequiredService<IOptions<DocumentsOptions>>())
            : ActivatorUtilities.CreateInstance<DatabaseDocumentStore>(sp));
        services.AddScoped<AddAgreementDocument>();
        services.AddScoped<IApprovalDocuments, AgreementApprovalDocuments>();
        services.AddScoped<DocumentFetcher>();
        // No redirects: a redirect could lead to a host that is not allowed. No proxy credentials, no cookies.
        services.AddHttpClient(DocumentFetcher.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = System.Net.DecompressionMethods.None });
        services.AddActivityRoutes(r => r.OnCommand<DocumentCommandHandler>(DocumentCommandHandler.Info));
        return builder;
    }

    private sealed class DocumentsOptionsValidation : IValidateOptions<DocumentsOptions>
    {
        public ValidateOptionsResult Validate(string? name, DocumentsOptions options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
