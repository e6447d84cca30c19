using System.Data.Common;
using ApprovalBot.Protocol.Auth;
using ApprovalBot.Protocol.Connector;
using ApprovalBot.Protocol.Routing;

namespace ApprovalBot.Teams;

/// <summary>Wires the hand-written protocol: inbound auth, the outbound connector, routing and the endpoint's limits.</summary>
public static class BotProtocolModule
{
    public static IHostApplicationBuilder AddBotProtocol(this IHostApplicationBuilder builder)
    {
        builder.Services.AddBotInboundAuthentication(builder.Configuration);
        builder.Services.AddBotConnector(builder.Configuration);
        builder.Services.AddActivityRouting();
        builder.Services.AddOptions<BotEndpointOptions>().Bind(builder.Configuration.GetSection(BotEndpointOptions.SectionName))
            .Validate(o => o.MaxBodyBytes is >= 16 * 1024 and <= 16 * 1024 * 1024, "BotEndpoint:MaxBodyBytes must be between 16384 and 16777216.")
            .Validate(o => o.UserTurnsPerMinute is >= 0 and <= 6000, "BotEndpoint:UserTurnsPerMinute must be between 0 (no limit) and 6000.")
            .Validate(o => o.UserTurnBurst is >= 1 and <= 1000, "BotEndpoint:UserTurnBurst must be between 1 and 1000.")
            .ValidateOnStart();
        // A database that is restarting or unreachable is a passing outage: 503 + Retry-After, so Teams redelivers.
        builder.Services.PostConfigure<BotEndpointOptions>(o => o.IsTransient = IsTransient);
        return builder;
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
}
