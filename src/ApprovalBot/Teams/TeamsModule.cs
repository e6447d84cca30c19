using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Commands;
using ApprovalBot.Teams.Outbox;

namespace ApprovalBot.Teams;

/// <summary>What our bot does with the protocol: conversation capture, the outbox, welcome and help.</summary>
public static class TeamsModule
{
    public static IHostApplicationBuilder AddTeams(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<OutboxOptions>(builder.Configuration.GetSection(OutboxOptions.SectionName));
        services.AddSingleton<BotIdentity>();
        services.AddSingleton<OutboxSignal>();
        services.AddScoped<Outbox.Outbox>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        services.AddScoped<IInboundActivityLog, InboundActivityLog>();
        services.AddScoped<IInboundActivityObserver, ConversationCapture>();
        services.AddCards();
        services.AddScoped<HelpCards>();

        services.AddActivityRoutes(r => r
            .OnActivity<Welcome>(ActivityTypes.InstallationUpdate)
            .OnActivity<Welcome>(ActivityTypes.ConversationUpdate)
            .OnCommand<HelpCommandHandler>(HelpCommandHandler.Info)
            .OnCardAction<ShowHelpActionHandler>(ShowHelpActionHandler.Verb)
            .OnUnknownCommand<UnknownCommandHandler>());
        return builder;
    }
}
