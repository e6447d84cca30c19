using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Teams;

/// <summary>
/// Greets once when the app is installed — in a personal chat the user, in a team or group chat the conversation
/// (never a DM to every member, bot-protocol.md §7.18). Teams announces an install with both installationUpdate and
/// conversationUpdate; the outbox dedupe key (conversation and day) turns the pair into one welcome.
/// </summary>
public sealed class Welcome(CardRenderer cards, Outbox.Outbox outbox, TimeProvider time) : IActivityHandler
{
    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (IsInstall(turn.Activity))
        {
            var card = cards.Render(CardTemplates.Welcome, new WelcomeCardData(turn.IsPersonal ? turn.Activity.From?.Name : null));
            var day = time.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            await outbox.ReplyAsync(
                turn, CardActivities.ToMessage(card), cancellationToken,
                dedupeKey: $"welcome:{Outbox.Outbox.Hash(turn.ConversationId)}:{day}");
        }
        return null;
    }

    private static bool IsInstall(Activity activity)
    {
        if (activity.IsType(ActivityTypes.InstallationUpdate))
            return string.Equals(activity.Action, "add", StringComparison.OrdinalIgnoreCase);
        if (activity.IsType(ActivityTypes.ConversationUpdate) && activity.MembersAdded is { Count: > 0 } added)
            return added.Any(m => string.Equals(m.Id, activity.Recipient?.Id, StringComparison.OrdinalIgnoreCase));
        return false;
    }
}
