using ApprovalBot.Approvals;
using ApprovalBot.Digests.Cards;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Commands;

namespace ApprovalBot.Digests.Teams;

/// <summary>
/// <c>digest now</c> (or <c>digest</c>): the sender's own digest card, here. In a channel the card shows the sender's
/// view, so it is posted only when the sender takes part in something it covers; else the reply says so. Any other
/// argument gets the usage: subscriptions are not available yet.
/// </summary>
public sealed class DigestCommandHandler(GatherDigest digests, DigestCards cards, TeamsPeople people, ApprovalClock clock, HelpCards help, global::ApprovalBot.Teams.Outbox.Outbox outbox) : IActivityHandler
{
    public static readonly CommandInfo Info = new(
        "digest", "digest now",
        "Your status digest: approval requests waiting (age and who is blocking), your active escalations by SLA state, and the KPIs of your agreements.",
        ["digest now", "digest"]) { Area = "Reports", InMenu = false };

    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var tokens = turn.Command!.Tokens;
        if (tokens.Count > 1 || (tokens.Count == 1 && !string.Equals(tokens[0], "now", StringComparison.OrdinalIgnoreCase)))
            return await outbox.ReplyWithCardAsync(turn, help.One(Info,
                $"'{HelpCards.Quote(string.Join(' ', tokens))}' is not available: digest subscriptions (a digest every day or week) come later. For now, ask for one with digest now."),
                cancellationToken);
        if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } me)
            return await outbox.ReplyWithCardAsync(turn, help.Error("I cannot tell who you are (your Teams account has no directory id)."), cancellationToken);

        var digest = await digests.HandleAsync(me, cancellationToken);
        if (!turn.IsPersonal && digest.IsEmpty)
        {
            await outbox.ReplyAsync(turn, new Activity
            {
                Type = ActivityTypes.Message,
                Text = "You take part in no waiting approval request, active escalation or agreement, so there is no digest of yours to post here.",
                TextFormat = "plain",
            }, cancellationToken);
            return null;
        }

        var zone = await people.TimeZoneAsync(me, clock.TimeZone, cancellationToken);
        return await outbox.ReplyWithCardAsync(turn, cards.Render(digest, zone), cancellationToken);
    }
}
