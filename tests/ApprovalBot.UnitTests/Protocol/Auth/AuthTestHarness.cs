using System.Collections.Concurrent;
using System.Net;
using ApprovalBot.Protocol.Auth;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Auth;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApprovalBot.UnitTests.Protocol.Auth;

/// <summary>Log records kept in memory so tests can check what was (and was not) logged.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception)> Records { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public ILoggerFactory CreateFactory() => LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(this));

    public void Dispose() { }

    private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Records.Enqueue((category, logLevel, eventId, formatter(state, exception), exception));
    }
}

/// <summary>
/// The production Bot Framework authenticator wired to an in-memory login service and a manual clock set far from the
/// real date, so a token accepted here can only have been judged by the injected clock.
/// </summary>
internal sealed class AuthTestHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2031, 3, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly IPAddress InternetAddress = IPAddress.Parse("203.0.113.7");

    private readonly ILoggerFactory _loggerFactory;
    private readonly BotFrameworkSigningKeyStore _store;

    public AuthTestHarness(Action<BotAuthenticationOptions>? configure = null, InMemoryBotFrameworkLogin? login = null)
    {
        Login = login ?? new InMemoryBotFrameworkLogin();
        Options = new BotAuthenticationOptions { OpenIdMetadataUrl = InMemoryBotFrameworkLogin.MetadataUrl };
        configure?.Invoke(Options);
        Assert.Empty(BotAuthenticationOptionsValidator.Validate(new MicrosoftAppOptions { MicrosoftAppId = TestTokenIssuer.DefaultAppId }, Options));

        _loggerFactory = Logs.CreateFactory();
        _store = new BotFrameworkSigningKeyStore(Options, Login, Clock, _loggerFactory.CreateLogger<BotFrameworkSigningKeyStore>());
        Authenticator = new BotFrameworkInboundAuthenticator(
            Microsoft.Extensions.Options.Options.Create(new MicrosoftAppOptions { MicrosoftAppId = TestTokenIssuer.DefaultAppId }),
            Microsoft.Extensions.Options.Options.Create(Options),
            _store,
            Clock,
            _loggerFactory.CreateLogger<BotFrameworkInboundAuthenticator>());
        Tokens = new TestTokenIssuer(Clock);
    }

    public ManualTimeProvider Clock { get; } = new(Start);

    public InMemoryBotFrameworkLogin Login { get; }

    public BotAuthenticationOptions Options { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    public TestTokenIssuer Tokens { get; }

    public IInboundAuthenticator Authenticator { get; }

    /// <summary>A Teams-like request from a non-loopback address (the production path must not care where it comes from).</summary>
    public static InboundAuthRequest Request(string? authorizationHeader) => new(
        authorizationHeader,
        InternetAddress,
        TestTokenIssuer.DefaultChannelId,
        TestTokenIssuer.DefaultServiceUrl,
        "tenant-a");

    public ValueTask<InboundAuthResult> AuthenticateAsync(ChannelTokenSpec? spec = null, Func<InboundAuthRequest, InboundAuthRequest>? adjust = null)
    {
        var request = Request(Tokens.MintHeader(spec));
        return Authenticator.AuthenticateAsync(adjust is null ? request : adjust(request), CancellationToken.None);
    }

    public ValueTask<InboundAuthResult> AuthenticateAsync(InboundAuthRequest request) =>
        Authenticator.AuthenticateAsync(request, CancellationToken.None);

    public void Dispose()
    {
        _store.Dispose();
        _loggerFactory.Dispose();
    }
}
