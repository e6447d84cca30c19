using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.Protocol.Schema;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Agreements.Documents;

/// <summary>
/// Fetches a file sent in a 1:1 chat. Teams delivers it as an attachment of content type
/// <c>application/vnd.microsoft.teams.file.download.info</c> whose <c>content.downloadUrl</c> is a short-lived,
/// pre-authorised URL read with a plain GET (no token). The URL is only requested when its host is on
/// <c>Agreements:Documents:AllowedHosts</c> (https; plain http only to loopback), without following redirects, within
/// <c>DownloadTimeout</c>, and the body is read with the size limit enforced as it streams in.
/// </summary>
public sealed partial class DocumentFetcher(IHttpClientFactory clients, DocumentIntake intake, IOptions<DocumentsOptions> options, ILogger<DocumentFetcher> logger)
{
    public const string ClientName = "documents";
    public const string FileDownloadInfo = "application/vnd.microsoft.teams.file.download.info";

    private readonly DocumentsOptions _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;

    /// <summary>The file attachments of a message (Teams adds a text/html copy of the text; that is not one).</summary>
    public static IReadOnlyList<Attachment> Files(Activity activity) =>
        [.. (activity?.Attachments ?? []).Where(a => string.Equals(a.ContentType, FileDownloadInfo, StringComparison.OrdinalIgnoreCase))];

    public async Task<DocumentCheck> FetchAsync(Attachment attachment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        var name = attachment.Name ?? "";
        var url = (attachment.Content as JsonObject)?["downloadUrl"]?.GetValue<string>();
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return DocumentCheck.Refuse(DocumentRefusal.ForbiddenType, $"The attachment '{name}' has no download address. Nothing was stored.");
        if (!IsAllowed(uri))
        {
            LogRefusedHost(logger, uri.Host);
            return DocumentCheck.Refuse(DocumentRefusal.ForbiddenType,
                $"I do not download files from {uri.Host}: it is not one of the allowed hosts. Send the file from a chat with me in Teams, or upload it through the API. Nothing was stored.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.DownloadTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.StatusCode != HttpStatusCode.OK)
                return DocumentCheck.Refuse(DocumentRefusal.ForbiddenType, $"'{name}' could not be downloaded (HTTP {(int)response.StatusCode}); send it again. Nothing was stored.");
            if (intake.CheckDeclaredLength(name, response.Content.Headers.ContentLength) is { } tooLarge) return tooLarge;
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            return await intake.ReadAsync(body, name, response.Content.Headers.ContentType?.MediaType, timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            LogFetchFailed(logger, uri.Host, e.GetType().Name);
            return DocumentCheck.Refuse(DocumentRefusal.ForbiddenType, e is OperationCanceledException
                ? $"Downloading '{name}' took longer than {_options.DownloadTimeout.TotalSeconds:0} seconds; send it again. Nothing was stored."
                : $"'{name}' could not be downloaded; send it again. Nothing was stored.");
        }
    }

    /// <summary>https to an allowed host; plain http only to an allowed loopback host.</summary>
    public bool IsAllowed(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)) return false;
        return string.IsNullOrEmpty(url.UserInfo) && _options.EffectiveAllowedHosts().Any(h => HostPattern.Matches(h, url));
    }

    [LoggerMessage(EventId = 7600, Level = LogLevel.Warning, Message = "Documents: refused to download an attachment from {Host}: not an allowed host")]
    private static partial void LogRefusedHost(ILogger logger, string host);

    [LoggerMessage(EventId = 7601, Level = LogLevel.Warning, Message = "Documents: downloading an attachment from {Host} failed ({Error})")]
    private static partial void LogFetchFailed(ILogger logger, string host, string error);
}
