using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace ApprovalBot.Teams;

/// <summary>
/// The bot's own channel account id (<c>28:&lt;app id&gt;</c>), needed to open a 1:1 chat. With an app id configured
/// it is derived from it; in local development it is the recipient id last seen on an activity from that service.
/// </summary>
public sealed class BotIdentity(IConfiguration configuration)
{
    public string? AppId { get; } = string.IsNullOrWhiteSpace(configuration["MicrosoftAppId"]) ? null : configuration["MicrosoftAppId"]!.Trim();

    public async Task<string> GetBotIdAsync(BotDbContext db, string serviceUrl, CancellationToken cancellationToken)
    {
        if (AppId is not null) return $"28:{AppId}";
        var seen = await db.ConversationReferences
            .Where(r => r.ServiceUrl == serviceUrl && r.BotId != null)
            .OrderByDescending(r => r.Id)
            .Select(r => r.BotId)
            .FirstOrDefaultAsync(cancellationToken);
        return seen ?? "28:approvalbot-local";
    }
}
