using Microsoft.Extensions.Options;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;

namespace ApprovalBot.OrgDirectory.Graph;

/// <summary>What came of installing the bot for someone so it can message them first.</summary>
public abstract record ProactiveInstall
{
    private ProactiveInstall() { }

    /// <summary>The app is installed for them (now or before): post into this 1:1 chat (<c>19:…</c>).</summary>
    public sealed record Ready(string ChatId) : ProactiveInstall;

    /// <summary>Not done, and not worth retrying (not configured, not an Entra id, refused): open the chat through Teams as before.</summary>
    public sealed record Skipped(string Why) : ProactiveInstall;

    /// <summary>Graph could not be asked now (throttled, down): leave the message pending and try again later.</summary>
    public sealed record Unavailable(string Why) : ProactiveInstall;
}

/// <summary>
/// Installs the bot for a person who never talked to it and finds the 1:1 chat it then has with them (bot-protocol.md
/// §3.3's "the app must be installed for the user"). The outbox dispatcher asks it before opening a chat.
/// </summary>
public interface IProactiveInstaller
{
    /// <param name="userId">The recipient as the outbox holds it: an Entra object id (installable) or a Teams user id (<c>29:…</c>, skipped).</param>
    Task<ProactiveInstall> InstallAsync(string userId, CancellationToken cancellationToken);
}

/// <summary>No proactive installation (Graph not configured, or no catalog app id): Teams opens the chat as before.</summary>
internal sealed class NoProactiveInstaller : IProactiveInstaller
{
    public Task<ProactiveInstall> InstallAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult<ProactiveInstall>(new ProactiveInstall.Skipped("proactive installation is not configured"));
}

/// <summary>
/// Proactive installation through Graph: <c>POST /users/{id}/teamwork/installedApps</c> with the catalog app (201
/// installed; 409 already installed — both fine), then the installation of that app
/// (<c>$expand=teamsApp&amp;$filter=teamsApp/id eq '…'</c>) and its chat (<c>…/installedApps/{id}/chat</c>). The chat id
/// is remembered for <see cref="GraphDirectoryOptions.PeopleCacheLifetime"/>, until Teams' own install event stores the
/// conversation. Needs <c>TeamsAppInstallation.ReadWriteSelfForUser.All</c>.
/// </summary>
internal sealed partial class GraphProactiveInstaller(
    GraphClientProvider clients,
    DirectoryCache cache,
    IOptions<DirectoryOptions> options,
    ILogger<GraphProactiveInstaller> logger) : IProactiveInstaller
{
    public async Task<ProactiveInstall> InstallAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        // Teams user ids (29:…, the Playground's user-id-N) are bot-scoped; Graph knows people by their Entra object id.
        if (userId.Contains(':', StringComparison.Ordinal) || userId.StartsWith("user-id-", StringComparison.Ordinal))
            return new ProactiveInstall.Skipped("the recipient is a Teams user id, not an Entra object id");

        var key = $"chat:{userId.Trim().ToLowerInvariant()}";
        try
        {
            var chatId = await cache.GetOrLoadAsync(key, () => ChatAsync(userId.Trim(), cancellationToken),
                options.Value.Graph.PeopleCacheLifetime, TimeSpan.Zero);
            return chatId is null
                ? new ProactiveInstall.Skipped("Graph does not know the user")
                : new ProactiveInstall.Ready(chatId);
        }
        catch (RefusedException e)
        {
            LogRefused(logger, userId, e.Message);
            return new ProactiveInstall.Skipped(e.Message);
        }
        catch (NotReadyException e)
        {
            LogUnavailable(logger, userId, e.Message);
            return new ProactiveInstall.Unavailable(e.Message);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
                                  && GraphDirectory.Unavailable($"the Teams app installation of {userId}", e, options.Value.Graph.MaxRetries) is { } unavailable)
        {
            LogUnavailable(logger, userId, unavailable.Message);
            return new ProactiveInstall.Unavailable(unavailable.Message);
        }
    }

    /// <summary>The chat id; null when Graph does not know the user (404 on the install).</summary>
    private async Task<string?> ChatAsync(string userId, CancellationToken ct)
    {
        var graph = clients.Create();
        var o = options.Value.Graph;
        var catalogId = o.TeamsAppCatalogId.Trim();
        var apps = graph.Users[userId].Teamwork.InstalledApps;
        try
        {
            await apps.PostAsync(new UserScopeTeamsAppInstallation
            {
                AdditionalData = new Dictionary<string, object>
                {
                    ["teamsApp@odata.bind"] = $"{o.BaseUrl.TrimEnd('/')}/appCatalogs/teamsApps/{catalogId}",
                },
            }, cancellationToken: ct);
            LogInstalled(logger, userId);
        }
        catch (ApiException e) when (e.ResponseStatusCode == 409)
        {
            // Already installed for them: the normal case for anyone who had the app before.
        }
        catch (ApiException e) when (e.ResponseStatusCode == 404)
        {
            return null;
        }
        catch (ODataError e) when (e.ResponseStatusCode is 400 or 403)
        {
            // Not allowed (permission not granted, the app blocked by policy or not in the catalog): Teams may still
            // reach them if the app reached them another way; retrying will not change the answer.
            throw new RefusedException($"Graph refused to install the app (HTTP {e.ResponseStatusCode} {e.Error?.Code})", e);
        }

        var installed = await apps.GetAsync(r =>
        {
            r.QueryParameters.Expand = ["teamsApp"];
            r.QueryParameters.Filter = $"teamsApp/id eq {GraphDirectory.ODataString(catalogId)}";
        }, ct);
        var installationId = installed?.Value?.FirstOrDefault()?.Id
            // Just installed and not listed yet: Graph catches up within seconds; the outbox retries.
            ?? throw new NotReadyException("Graph does not list the new installation yet");
        var chat = await apps[installationId].Chat.GetAsync(r => r.QueryParameters.Select = ["id"], ct);
        return chat?.Id ?? throw new NotReadyException("Graph has no chat for the installation yet");
    }

    private sealed class RefusedException(string message, Exception inner) : Exception(message, inner);

    private sealed class NotReadyException(string message) : Exception(message);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Installed the Teams app for {UserId} through Graph")]
    private static partial void LogInstalled(ILogger logger, string userId);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "Could not install the Teams app for {UserId} ({Reason}); opening the chat through Teams instead")]
    private static partial void LogRefused(ILogger logger, string userId, string reason);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Warning, Message = "Proactive installation for {UserId} must wait: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string userId, string reason);
}
