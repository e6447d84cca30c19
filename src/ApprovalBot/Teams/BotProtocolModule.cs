using System.Data.Common;
using ApprovalBot.Protocol.Auth;
using ApprovalBot.Protocol.Connector;
using ApprovalBot.Protocol.Routing;

namespace ApprovalBot.Teams;

/// <summary>Wires the hand-written protocol: inbound auth, the outbound connector, routing and the endpoint's limits.</summary>
public static partial class BotProtocolModule
{
    public static IHostApplicationBuilder AddBotProtocol(this IHostApplicationBuilder builder)
    {
        builder.Services.AddBotInboundAuthentication(builder.Configuration);
        builder.Services.AddBotConnector(builder.Configuration);
        builder.Services.AddActivityRouting();
        builder.Services.Configure<BotEndpointOptions>(builder.Configuration.GetSection(BotEndpointOptions.SectionName));
        // A database that is restarting or unreachable is a passing outage: 503 + Retry-After, so Teams redelivers.
        builder.Services.PostConfigure<BotEndpointOptions>(o => o.IsTransient = IsTransient);
        return builder;
    }

    /// <summary>Says loudly, at start-up, that the bot accepts unauthenticated loopback requests.</summary>
    public static WebApplication WarnIfLocalDevelopmentMode(this WebApplication app)
    {
        var mode = app.Services.GetRequiredService<IInboundAuthenticator>().Mode;
        if (mode == AuthMode.LocalDevelopment)
            LogLocalDevelopment(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ApprovalBot.Security"));
        return app;
    }

    internal static bool IsTransient(Exception exception) => exception switch
    {
        DbException db => db.IsTransient || IsConnectionFailure(db),
        TimeoutException => true,
        InvalidOperationException { InnerException: { } inner } => IsTransient(inner),
        Microsoft.EntityFrameworkCore.DbUpdateException { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };

    /// <summary>Npgsql reports a refused or dropped connection as a NpgsqlException with a socket inner exception.</summary>
    private static bool IsConnectionFailure(DbException exception) =>
        exception.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException;

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message =
        "LOCAL DEVELOPMENT MODE: no MicrosoftAppId is configured, so requests are NOT authenticated. Only loopback callers " +
        "(the Microsoft 365 Agents Playground on this machine) are accepted, and outbound calls carry no token. " +
        "Never run this way in production: set MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId.")]
    private static partial void LogLocalDevelopment(ILogger logger);
}
