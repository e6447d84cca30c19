using System.Security.Claims;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Protocol.Auth;

/// <summary>
/// <see cref="AuthMode.LocalDevelopment"/>: chosen only when no MicrosoftAppId is configured, and refuses to exist
/// otherwise. Accepts token-less requests from loopback, with an anonymous, unauthenticated identity.
/// </summary>
internal sealed class LocalDevelopmentInboundAuthenticator : IInboundAuthenticator
{
    private readonly ILogger _logger;

    public LocalDevelopmentInboundAuthenticator(IOptions<MicrosoftAppOptions> app, ILogger<LocalDevelopmentInboundAuthenticator> logger)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!string.IsNullOrEmpty(app.Value.MicrosoftAppId))
            throw new InvalidOperationException("Local development authentication cannot be used when MicrosoftAppId is configured.");
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public AuthMode Mode => AuthMode.LocalDevelopment;

    public ValueTask<InboundAuthResult> AuthenticateAsync(InboundAuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reason = LocalDevelopmentPolicy.Check(request.RemoteAddress, request.IsForwarded);
        if (reason == AuthFailureReason.None)
            return ValueTask.FromResult(InboundAuthResult.Success(new ClaimsIdentity(), Mode));

        var result = InboundAuthResult.Failure(reason, Mode);
        InboundAuthLog.RequestRefused(_logger, LogLevel.Warning, reason, result.StatusCode, Mode);
        return ValueTask.FromResult(result);
    }
}
