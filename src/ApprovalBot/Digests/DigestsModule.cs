using ApprovalBot.Digests.Cards;
using ApprovalBot.Digests.Teams;
using ApprovalBot.Protocol.Routing;

namespace ApprovalBot.Digests;

/// <summary>Status digests: the use case, the card and the <c>digest now</c> command (subscriptions come later).</summary>
public static class DigestsModule
{
    public static IHostApplicationBuilder AddDigests(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<GatherDigest>();
        services.AddSingleton<DigestCards>();
        services.AddActivityRoutes(r => r.OnCommand<DigestCommandHandler>(DigestCommandHandler.Info));
        return builder;
    }
}
