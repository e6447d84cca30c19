using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ApprovalBot.Protocol.Auth;

internal enum KeyRefreshStatus
{
    /// <summary>New keys were fetched (by this caller or by one it waited for).</summary>
    Refreshed,

    /// <summary>A forced refresh happened less than MinimumKeyRefreshInterval ago; nothing was fetched.</summary>
    Throttled,

    /// <summary>The fetch failed; the old keys (if any) are still in use.</summary>
    Failed,
}

internal readonly record struct KeyRefresh(KeyRefreshStatus Status, SigningKeySnapshot? Snapshot);

/// <summary>
/// The process-wide cache of Bot Framework signing keys and endorsements (one per metadata URL; a singleton).
/// <para>
/// Why not IdentityModel's <c>ConfigurationManager&lt;OpenIdConnectConfiguration&gt;</c>: in 8.16 its
/// <c>RequestRefresh()</c> only starts a background task (unless a process-wide AppContext switch is set), so
/// "refresh, then re-fetch and retry" still sees the old keys; and its clock is an internal <c>TimeProvider.System</c>,
/// so neither the 12 h refresh nor the 5 min refresh throttle can be driven by the injected clock. This class keeps
/// IdentityModel for fetching and parsing (<see cref="OpenIdConnectConfigurationRetriever"/> through an
/// <see cref="IDocumentRetriever"/>) and does only the scheduling itself, all from the injected <see cref="TimeProvider"/>.
/// </para>
/// Rules: the first fetch is shared by all waiting callers; a stale snapshot is refreshed by one caller while others
/// keep using it; a failed fetch is not retried for <c>MetadataRetryInterval</c>; a refresh forced by an unknown
/// <c>kid</c> runs at most once per <c>MinimumKeyRefreshInterval</c>.
/// </summary>
internal sealed class BotFrameworkSigningKeyStore : IDisposable
{
    private readonly string _metadataAddress;
    private readonly IDocumentRetriever _documentRetriever;
    private readonly TimeProvider _time;
    private readonly BotAuthenticationOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _fetchGate = new(1, 1);
    private readonly Lock _stateLock = new();

    private SigningKeySnapshot? _snapshot;
    private DateTimeOffset _nextFetchAt = DateTimeOffset.MinValue;
    private DateTimeOffset? _lastForcedRefreshAt; // guarded by _fetchGate

    public BotFrameworkSigningKeyStore(BotAuthenticationOptions options, IDocumentRetriever documentRetriever, TimeProvider timeProvider, ILogger<BotFrameworkSigningKeyStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _metadataAddress = options.OpenIdMetadataUrl;
        _documentRetriever = documentRetriever ?? throw new ArgumentNullException(nameof(documentRetriever));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The current keys, fetching them when missing or due. Null when none could ever be fetched (⇒ 503).</summary>
    public async ValueTask<SigningKeySnapshot?> GetAsync(CancellationToken cancellationToken)
    {
        var (snapshot, nextFetchAt) = ReadState();
        if (_time.GetUtcNow() < nextFetchAt) return snapshot; // fresh, or inside the back-off after a failure

        if (snapshot is not null)
        {
            // Stale but usable: one caller refreshes, the others carry on with the keys they have.
            if (!await _fetchGate.WaitAsync(0, cancellationToken).ConfigureAwait(false)) return snapshot;
        }
        else
        {
            await _fetchGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            if (_time.GetUtcNow() >= ReadState().NextFetchAt)
                await FetchAsync(snapshot is null ? "initial" : "scheduled", cancellationToken).ConfigureAwait(false);
            return ReadState().Snapshot;
        }
        finally
        {
            _fetchGate.Release();
        }
    }

    /// <summary>
    /// Called when a token's <c>kid</c> is not in <paramref name="seen"/>: fetches once (unless another caller already
    /// brought newer keys, or a forced refresh ran less than <c>MinimumKeyRefreshInterval</c> ago).
    /// </summary>
    public async ValueTask<KeyRefresh> RefreshForUnknownKeyAsync(SigningKeySnapshot seen, CancellationToken cancellationToken)
    {
        await _fetchGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = ReadState().Snapshot;
            if (current is not null && !ReferenceEquals(current, seen)) return new(KeyRefreshStatus.Refreshed, current);

            var now = _time.GetUtcNow();
            if (_lastForcedRefreshAt is { } last && now - last < _options.MinimumKeyRefreshInterval)
            {
                InboundAuthLog.UnknownKeyRefreshThrottled(_logger, last + _options.MinimumKeyRefreshInterval);
                return new(KeyRefreshStatus.Throttled, current);
            }

            _lastForcedRefreshAt = now;
            var fetched = await FetchAsync("unknown-kid", cancellationToken).ConfigureAwait(false);
            return fetched ? new(KeyRefreshStatus.Refreshed, ReadState().Snapshot) : new(KeyRefreshStatus.Failed, current);
        }
        finally
        {
            _fetchGate.Release();
        }
    }

    // Caller holds _fetchGate.
    private async Task<bool> FetchAsync(string trigger, CancellationToken cancellationToken)
    {
        try
        {
            var configuration = await OpenIdConnectConfigurationRetriever
                .GetAsync(_metadataAddress, _documentRetriever, cancellationToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            var snapshot = SigningKeySnapshot.Create(configuration.JsonWebKeySet ?? new JsonWebKeySet(), configuration.SigningKeys, now);
            if (snapshot.KeyCount == 0)
                throw new InvalidOperationException("The Bot Framework metadata yielded no signing keys with a key id.");

            lock (_stateLock)
            {
                _snapshot = snapshot;
                _nextFetchAt = now + _options.MetadataRefreshInterval;
            }
            InboundAuthLog.SigningKeysFetched(_logger, trigger, snapshot.KeyCount);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            lock (_stateLock)
            {
                _nextFetchAt = _time.GetUtcNow() + _options.MetadataRetryInterval;
            }
            InboundAuthLog.SigningKeysFetchFailed(_logger, trigger, _options.MetadataRetryInterval, ex);
            return false;
        }
    }

    private (SigningKeySnapshot? Snapshot, DateTimeOffset NextFetchAt) ReadState()
    {
        lock (_stateLock) { return (_snapshot, _nextFetchAt); }
    }

    public void Dispose() => _fetchGate.Dispose();
}
