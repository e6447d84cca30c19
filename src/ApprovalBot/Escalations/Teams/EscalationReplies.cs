using System.Globalization;
using ApprovalBot.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Escalations.Cards;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams.Cards;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Escalations.Teams;

/// <summary>
/// The replies the reading commands share (<c>list</c>, <c>status</c>, the Open button): one escalation's card for
/// someone who may see it, and the list card. Both are posted through the outbox; a posted escalation card is
/// recorded as a copy, so it stays current.
/// </summary>
public sealed class EscalationReplies(
    BotDbContext db, FindActiveEscalations list, EscalationMessages messages, EscalationCards cards, ApprovalClock clock, global::ApprovalBot.Teams.Outbox.Outbox outbox)
{
    /// <summary>
    /// Who may see an escalation's card: its reporter, its assignee, a contact person of any of its levels, and anyone
    /// asking in the Teams channel of one of its levels (<paramref name="channelId"/>: the channel asked in, if any).
    /// A channel elsewhere gets it only when the person asking takes part: the post is shown to that whole channel.
    /// </summary>
    public static bool MaySee(Escalation escalation, PersonId? person, string? channelId)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        var levelChannel = channelId is not null
            && escalation.Policy.Levels.Any(l => string.Equals(l.Contacts.ChannelId, channelId, StringComparison.Ordinal));
        return levelChannel || (person is { } p
            && (escalation.Reporter == p || escalation.Assignee == p || escalation.Policy.Levels.Any(l => l.Contacts.People.Contains(p))));
    }

    /// <summary>Posts escalation <paramref name="id"/>'s card into the turn's conversation; false (and nothing posted) when there is none that <paramref name="viewer"/> may see.</summary>
    public async Task<bool> PostCardAsync(TurnContext turn, long id, PersonId? viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var escalation = await db.Escalations.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        var channelId = string.Equals(turn.ConversationType, ConversationTypes.Channel, StringComparison.OrdinalIgnoreCase)
            ? turn.Activity.ChannelData?.Channel?.Id
            : null;
        if (escalation is null || !MaySee(escalation, viewer, channelId)) return false;
        var reader = turn.IsPersonal ? viewer : null;
        var card = await messages.CardAsync(escalation, reader, cancellationToken);
        await outbox.ReplyAsync(turn, CardActivities.ToMessage(card), cancellationToken, cardSubject: EscalationMessages.Subject(id), cardViewer: reader?.Value);
        return true;
    }

    /// <summary>Posts the list card of the escalations <paramref name="filter"/> selects, titled "<paramref name="title"/> (count)".</summary>
    public async Task PostListAsync(TurnContext turn, EscalationFilter filter, string title, CancellationToken cancellationToken)
    {
        var found = await list.HandleAsync(filter, cancellationToken);
        var card = cards.RenderList(string.Create(CultureInfo.InvariantCulture, $"{title} ({found.Count})"), found, clock.Now);
        await outbox.ReplyAsync(turn, CardActivities.ToMessage(card), cancellationToken);
    }
}
