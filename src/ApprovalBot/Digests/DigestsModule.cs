using ApprovalBot.Digests.Cards;
using ApprovalBot.Digests.Subscriptions;
using ApprovalBot.Digests.Teams;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Scheduling;

namespace ApprovalBot.Digests;

/// <summary>
/// Status digests: the use case, the card, the <c>digest</c> command, subscriptions delivered on durable timers
/// (kind <see cref="DigestTimers.Kind"/>, with an auditor) and Acknowledge (the API is <c>MapDigestsApi</c>).
/// </summary>
public static class DigestsModule
{
    public static IHostApplicationBuilder AddDigests(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<GatherDigest>();
        services.AddSingleton<DigestCards>();
        services.AddScoped<SubscribeToDigest>();
        services.AddScoped<StopDigest>();
        services.AddScoped<DescribeDigestSubscription>();
        services.AddScoped<DeliverDigest>();
        services.AddScoped<AcknowledgeDigest>();
        services.AddScoped<DigestTimers>();
        services.AddTimerHandler<DigestTimerHandler>(DigestTimers.Kind);
        services.AddSingleton<DigestTimerAuditor>();
        services.AddHostedService(sp => sp.GetRequiredService<DigestTimerAuditor>());
        services.AddActivityRoutes(r => r
            .OnCommand<DigestCommandHandler>(DigestCommandHandler.Info)
            .OnCardAction<DigestAcknowledgeHandler>(DigestVerbs.Acknowledge));
        return builder;
    }
}
