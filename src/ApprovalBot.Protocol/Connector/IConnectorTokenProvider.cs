namespace ApprovalBot.Protocol.Connector;

/// <summary>Supplies the bearer token for outbound connector calls (bot-protocol.md §3.1).</summary>
public interface IConnectorTokenProvider
{
    /// <summary>False in local development mode: no token is requested or sent, and only loopback serviceUrls are called.</summary>
    bool SendsTokens { get; }

    /// <summary>
    /// A token for <c>https://api.botframework.com</c>, from cache when one is valid; <paramref name="forceRefresh"/>
    /// skips the cache (used once after the connector answers 401). Null when <see cref="SendsTokens"/> is false.
    /// Throws <see cref="ConnectorTokenException"/> when no token can be had.
    /// </summary>
    ValueTask<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken);
}

/// <summary>The token could not be acquired; <see cref="Retryable"/> tells a passing outage from a configuration error.</summary>
public sealed class ConnectorTokenException : Exception
{
    public ConnectorTokenException() { }

    public ConnectorTokenException(string message) : base(message) { }

    public ConnectorTokenException(string message, Exception innerException) : base(message, innerException) { }

    public ConnectorTokenException(string message, bool retryable, Exception? innerException = null) : base(message, innerException) =>
        Retryable = retryable;

    public bool Retryable { get; }
}

/// <summary>
/// Local development mode (no <c>MicrosoftAppId</c>): the Agents Playground and the Emulator take calls without a
/// token. Never sends one; <see cref="ServiceUrlPolicy"/> restricts such calls to loopback.
/// </summary>
public sealed class NoConnectorTokenProvider : IConnectorTokenProvider
{
    public bool SendsTokens => false;

    public ValueTask<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
}
