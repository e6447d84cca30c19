using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Scheduling;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Commands;
using ApprovalBot.Teams.Outbox;

namespace ApprovalBot.Teams;

/// <summary>What our bot does with the protocol: conversation capture (with every channel of its teams), the outbox, welcome and help.</summary>
public static class TeamsModule
{
    public static IHostApplicationBuilder AddTeams(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<OutboxOptions>().Bind(builder.Configuration.GetSection(OutboxOptions.SectionName))
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Outbox:PollInterval must be positive.")
            .Validate(o => o.BatchSize is >= 1 and <= 1000, "Outbox:BatchSize must be between 1 and 1000.")
            .Validate(o => o.Parallelism is >= 1 and <= 64, "Outbox:Parallelism must be between 1 and 64.")
            .Validate(o => o.MaxAttempts >= 1, "Outbox:MaxAttempts must be at least 1.")
            .Validate(o => o.BaseDelay > TimeSpan.Zero && o.MaxDelay >= o.BaseDelay, "Outbox:BaseDelay must be positive and MaxDelay at least BaseDelay.")
            .Validate(o => o.ClaimTimeout >= TimeSpan.FromMinutes(1), "Outbox:ClaimTimeout must be at least a minute (longer than any live send).")
            .ValidateOnStart();
        services.AddSingleton<BotIdentity>();
        services.AddSingleton<OutboxSignal>();
        services.AddScoped<Outbox.Outbox>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        services.AddScoped<IInboundActivityLog, InboundActivityLog>();
        services.AddScoped<IInboundActivityObserver, ConversationCapture>();
        // After the capture (observers run in registration order): it sees the team's conversation already stored.
        services.AddScoped<IInboundActivityObserver, TeamChannelCapture>();
        services.AddTimerHandler<TeamChannelListing>(TeamChannelListing.Kind);
        services.AddHostedService<TeamChannelRefresh>();
        services.AddCards();
        services.AddScoped<HelpCards>();
        services.AddScoped<IThrottledTurnReply, ThrottledTurnReply>();
        services.AddScoped<ITurnOutageReply, DirectoryOutageReply>();

        services.AddActivityRoutes(r => r
            .OnActivity<Welcome>(ActivityTypes.InstallationUpdate)
            .OnActivity<Welcome>(ActivityTypes.ConversationUpdate)
            .OnCommand<HelpCommandHandler>(HelpCommandHandler.Info)
            .OnCardAction<ShowHelpActionHandler>(ShowHelpActionHandler.Verb)
            .OnUnknownCommand<UnknownCommandHandler>());
        return builder;
    }
}
