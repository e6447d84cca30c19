using System.Text.Json.Nodes;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Escalations.Cards;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Commands;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Escalations.Teams;

/// <summary>
/// What every escalation command shares, so each handler only parses its own arguments: who sent it, which escalation
/// it names, acting on it through <see cref="ActOnEscalation"/> as the sender in this conversation (a message in the
/// current level's channel counts as from a member of that channel), and answering with the escalation's card as the
/// sender sees it — a card copy, so later changes update it in place — or with the command's usage.
/// </summary>
public sealed class EscalationChat(
    BotDbContext db, ActOnEscalation act, TeamsPeople people, EscalationMessages messages, HelpCards help, global::ApprovalBot.Teams.Outbox.Outbox outbox)
{
    /// <summary>The sender; null after answering that they cannot take part (no directory id).</summary>
    public async Task<PersonId?> SenderAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (await people.IdentifyAsync(turn.Activity, cancellationToken) is { } me) return me;
        await outbox.ReplyWithCardAsync(turn, help.Error("I cannot tell who you are (your Teams account has no directory id)."), cancellationToken);
        return null;
    }

    /// <summary>The command's usage with what was wrong. Changes nothing.</summary>
    public Task<InvokeResponse?> UsageAsync(TurnContext turn, CommandInfo command, string error, CancellationToken cancellationToken) =>
        outbox.ReplyWithCardAsync(turn, help.One(command, error), cancellationToken);

    /// <summary>
    /// The id in <paramref name="token"/> (<see cref="EscalationReference"/>); null after answering with the usage when
    /// it is missing or is no escalation id.
    /// </summary>
    public async Task<long?> IdAsync(TurnContext turn, CommandInfo command, string? token, CancellationToken cancellationToken)
    {
        if (EscalationReference.TryParse(token, out var id)) return id;
        await UsageAsync(turn, command, token is null
            ? "Which escalation? Give its number, for example E-42."
            : $"'{HelpCards.Quote(token)}' is not an escalation number (for example E-42 or 42).", cancellationToken);
        return null;
    }

    /// <summary>
    /// Applies <paramref name="action"/> to escalation <paramref name="id"/> as <paramref name="me"/> and answers with its
    /// card: a notice saying what happened, or the domain's refusal as the error (then nothing changed). An unknown
    /// escalation is answered with the command's usage.
    /// </summary>
    public async Task<InvokeResponse?> ActAsync(
        TurnContext turn, CommandInfo command, PersonId me, long id, EscalationAction action, string? text, CancellationToken cancellationToken, PersonId? assignee = null)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var current = await db.Escalations.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (current is null) return await UsageAsync(turn, command, $"There is no escalation E-{id}.", cancellationToken);
        var result = await act.HandleAsync(new ActOnEscalationInput(id, me, InLevelChannel(turn.Activity, current), action, text, assignee), cancellationToken);
        if (result.Escalation is not { } escalation) return await UsageAsync(turn, command, $"There is no escalation E-{id}.", cancellationToken);
        var notice = result.Refusal is null ? await DoneAsync(action, escalation, me, cancellationToken) : null;
        return await ReplyWithCardAsync(turn, escalation, me, cancellationToken, notice, result.Refusal);
    }

    /// <summary>The escalation's card as <paramref name="me"/> sees it, posted as a copy that later changes update in place.</summary>
    public async Task<InvokeResponse?> ReplyWithCardAsync(
        TurnContext turn, Escalation escalation, PersonId me, CancellationToken cancellationToken, string? notice = null, string? error = null)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(escalation);
        var card = await messages.CardAsync(escalation, me, cancellationToken, error: error, notice: notice, viewerInLevelChannel: InLevelChannel(turn.Activity, escalation));
        // In a channel everyone reads the same post: a shared copy, whose readers get their own buttons by refresh.
        return await outbox.ReplyWithCardAsync(turn, card, cancellationToken, EscalationMessages.Subject(escalation.Id), turn.IsPersonal ? me.Value : null);
    }

    /// <summary>
    /// Whether the activity comes from the escalation's current level channel: its Teams channel id is the level's
    /// (the protocol layer verified the token; Teams delivers a channel message only to members of that channel).
    /// </summary>
    public static bool InLevelChannel(Activity activity, Escalation escalation)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(escalation);
        return activity.ChannelData?.Channel?.Id is { Length: > 0 } channel
               && string.Equals(channel, escalation.LevelChannelId, StringComparison.Ordinal);
    }

    /// <summary>What an accepted action did, in a line for whoever did it (cards and commands alike).</summary>
    public async Task<string> DoneAsync(EscalationAction action, Escalation escalation, PersonId actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        return action switch
        {
            EscalationAction.Acknowledge => "Acknowledged. The response clock has stopped.",
            EscalationAction.Resolve => escalation.Reporter == actor
                ? "Resolved: both clocks have stopped."
                : "Resolved: both clocks have stopped. The reporter has the card with your note.",
            EscalationAction.Hold => "On hold: both clocks are paused.",
            EscalationAction.Resume => "Resumed: the clocks run again.",
            EscalationAction.Assign => escalation.Assignee is not { } assignee || assignee == actor
                ? "Assigned to you."
                : $"Assigned to {(await people.GetAsync(assignee, cancellationToken))?.DisplayName ?? assignee.Value}; they have the card.",
            EscalationAction.Reopen => $"Reopened as {escalation.State}; the {escalation.Level} contacts have the card again.",
            EscalationAction.Close => $"Closed. It can still be reopened within {EscalationCardModel.Duration(escalation.Policy.ReopenWindow)} of its resolution.",
            EscalationAction.Escalate => $"Escalated to {escalation.Level}; its contacts have the card.",
            _ => $"Done: {action}.",
        };
    }
}
