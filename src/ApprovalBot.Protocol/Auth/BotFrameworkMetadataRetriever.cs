using Microsoft.IdentityModel.Protocols;

namespace ApprovalBot.Protocol.Auth;

/// <summary>
/// Production document retriever: IdentityModel's <see cref="HttpDocumentRetriever"/> behind
/// <see cref="MetadataAddressPolicy"/>, checked for EVERY address (metadata and its <c>jwks_uri</c>).
/// <c>RequireHttps</c> is switched off only for a plain-HTTP loopback IP address. A fresh client from the factory is
/// used per fetch (fetches are rare), so the singleton key store never pins an HTTP handler.
/// </summary>
internal sealed class BotFrameworkMetadataRetriever(IHttpClientFactory httpClientFactory) : IDocumentRetriever
{
    public const string HttpClientName = "ApprovalBot.BotFrameworkMetadata";

    public Task<string> GetDocumentAsync(string address, CancellationToken cancel)
    {
        if (!MetadataAddressPolicy.IsAllowed(address, out var problem))
            throw new InvalidOperationException($"Refusing to fetch Bot Framework signing metadata from '{address}': the address {problem}.");

        var isHttps = new Uri(address).Scheme == Uri.UriSchemeHttps;
        var retriever = new HttpDocumentRetriever(httpClientFactory.CreateClient(HttpClientName)) { RequireHttps = isHttps };
        return retriever.GetDocumentAsync(address, cancel);
    }
}
