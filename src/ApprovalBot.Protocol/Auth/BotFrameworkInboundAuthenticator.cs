using System.Security.Claims;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ApprovalBot.Protocol.Auth;

/// <summary>
/// <see cref="AuthMode.BotFramework"/>: validates the Bot Framework channel token (bot-protocol.md §2.2–2.3).
/// Order: header → token shape → algorithm and kid → issuer → keys (one forced refresh for an unknown kid) →
/// signature and lifetime (IdentityModel, lifetime from the injected clock) → audience → endorsements → serviceurl →
/// tenant allow-list. This type has no token-less path: local development is a different class.
/// </summary>
internal sealed class BotFrameworkInboundAuthenticator : IInboundAuthenticator
{
    private readonly JsonWebTokenHandler _handler = new();
    private readonly string _microsoftAppId;
    private readonly BotAuthenticationOptions _options;
    private readonly string[] _allowedTenantIds;
    private readonly BotFrameworkSigningKeyStore _keys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public BotFrameworkInboundAuthenticator(
        IOptions<MicrosoftAppOptions> app,
        IOptions<BotAuthenticationOptions> options,
        BotFrameworkSigningKeyStore keys,
        TimeProvider timeProvider,
        ILogger<BotFrameworkInboundAuthenticator> logger)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        var appId = app.Value.MicrosoftAppId;
        if (string.IsNullOrEmpty(appId))
            throw new InvalidOperationException("Bot Framework authentication needs MicrosoftAppId.");
        _microsoftAppId = appId;
        _options = options.Value;
        _allowedTenantIds = [.. _options.AllowedTenantIds];
        _keys = keys ?? throw new ArgumentNullException(nameof(keys));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public AuthMode Mode => AuthMode.BotFramework;

    /// <summary>Never throws for a bad request; only <see cref="OperationCanceledException"/> when the caller cancels.</summary>
    public async ValueTask<InboundAuthResult> AuthenticateAsync(InboundAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        InboundAuthResult result;
        try
        {
            var (reason, identity) = await AuthenticateCoreAsync(request, cancellationToken).ConfigureAwait(false);
            result = reason == AuthFailureReason.None ? InboundAuthResult.Success(identity!, Mode) : InboundAuthResult.Failure(reason, Mode);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            InboundAuthLog.UnexpectedFailure(_logger, ex.GetType().FullName ?? ex.GetType().Name);
            result = InboundAuthResult.Failure(AuthFailureReason.TokenValidationFailed, Mode);
        }

        if (!result.Succeeded)
            InboundAuthLog.RequestRefused(_logger, result.StatusCode == 401 ? LogLevel.Information : LogLevel.Warning, result.Reason, result.StatusCode, Mode);
        return result;
    }

    private async ValueTask<(AuthFailureReason Reason, ClaimsIdentity? Identity)> AuthenticateCoreAsync(InboundAuthRequest request, CancellationToken cancellationToken)
    {
        var reason = BearerHeader.TryGetToken(request.AuthorizationHeader, out var token);
        if (reason != AuthFailureReason.None) return (reason, null);

        if (!TryRead(token, out var jwt)) return (AuthFailureReason.MalformedToken, null);

        // Cheap checks on the unverified header and issuer, before any key lookup or signature work.
        reason = ChannelTokenRules.CheckHeader(jwt.Alg, jwt.Kid);
        if (reason != AuthFailureReason.None) return (reason, null);
        reason = ChannelTokenRules.CheckIssuer(jwt.Issuer);
        if (reason != AuthFailureReason.None) return (reason, null);

        var snapshot = await _keys.GetAsync(cancellationToken).ConfigureAwait(false);
        if (snapshot is null) return (AuthFailureReason.MetadataUnavailable, null);

        var keyId = jwt.Kid;
        var signingKeys = snapshot.KeysFor(keyId);
        if (signingKeys.Count == 0)
        {
            var refresh = await _keys.RefreshForUnknownKeyAsync(snapshot, cancellationToken).ConfigureAwait(false);
            if (refresh.Status == KeyRefreshStatus.Failed) return (AuthFailureReason.MetadataUnavailable, null);
            if (refresh.Snapshot is null) return (AuthFailureReason.UnknownSigningKey, null);
            snapshot = refresh.Snapshot;
            signingKeys = snapshot.KeysFor(keyId);
            if (signingKeys.Count == 0) return (AuthFailureReason.UnknownSigningKey, null);
        }

        var (validation, identity) = await ValidateSignatureAndLifetimeAsync(jwt, signingKeys).ConfigureAwait(false);
        if (validation != AuthFailureReason.None) return (validation, null);

        reason = ChannelTokenRules.CheckAudience([.. jwt.Audiences], _microsoftAppId);
        if (reason != AuthFailureReason.None) return (reason, null);

        reason = ChannelTokenRules.CheckEndorsement(snapshot.EndorsementsFor(keyId), request.ChannelId);
        if (reason != AuthFailureReason.None) return (reason, null);

        // Only a JSON string counts: IdentityModel would turn a number into its text.
        var serviceUrlClaim = jwt.TryGetPayloadValue<object>(ChannelTokenRules.ServiceUrlClaim, out var claimValue) ? claimValue as string : null;
        reason = ChannelTokenRules.CheckServiceUrl(serviceUrlClaim, request.ServiceUrl);
        if (reason != AuthFailureReason.None) return (reason, null);

        reason = ChannelTokenRules.CheckTenant(_allowedTenantIds, request.TenantId);
        if (reason != AuthFailureReason.None) return (reason, null);

        return (AuthFailureReason.None, identity);
    }

    private bool TryRead(string token, out JsonWebToken jwt)
    {
        jwt = null!;
        if (token.Length > _handler.MaximumTokenSizeInBytes) return false;
        try
        {
            jwt = new JsonWebToken(token);
            return !jwt.IsEncrypted;
        }
        catch (Exception)
        {
            // Whatever the parser throws for attacker-controlled input is a malformed token, not an internal error.
            return false;
        }
    }

    private async Task<(AuthFailureReason Reason, ClaimsIdentity? Identity)> ValidateSignatureAndLifetimeAsync(JsonWebToken jwt, IReadOnlyList<SecurityKey> signingKeys)
    {
        var check = new SignedTokenCheck(_time, _options.ClockSkew);
        var parameters = check.Parameters(ChannelTokenRules.Issuer, signingKeys, ChannelTokenRules.AllowedAlgorithms);
        // Audience is compared by ChannelTokenRules.CheckAudience (exact, single value), as the SDK does.
        parameters.ValidateAudience = false;

        var result = await _handler.ValidateTokenAsync(jwt, parameters).ConfigureAwait(false);
        if (result.IsValid) return (AuthFailureReason.None, result.ClaimsIdentity);
        if (check.Lifetime != AuthFailureReason.None) return (check.Lifetime, null);
        return (Classify(result.Exception), null);
    }

    private static AuthFailureReason Classify(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => AuthFailureReason.TokenExpired,
        SecurityTokenNotYetValidException => AuthFailureReason.TokenNotYetValid,
        SecurityTokenInvalidLifetimeException or SecurityTokenNoExpirationException => AuthFailureReason.InvalidLifetime,
        SecurityTokenSignatureKeyNotFoundException => AuthFailureReason.UnknownSigningKey,
        SecurityTokenInvalidAlgorithmException => AuthFailureReason.UnsupportedAlgorithm,
        SecurityTokenInvalidSignatureException => AuthFailureReason.InvalidSignature,
        SecurityTokenInvalidIssuerException => AuthFailureReason.InvalidIssuer,
        SecurityTokenMalformedException => AuthFailureReason.MalformedToken,
        _ => AuthFailureReason.TokenValidationFailed,
    };
}
