using System.Text.Json.Nodes;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Outbox;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Approvals;

/// <summary>
/// Everything people see of a request, staged in the outbox in the same unit of work as the change (rule 13): the
/// card of each new approver in their 1:1 chat, the requester's status card, an in-place update of every copy of the
/// card after each change ("one card, one truth"), and a message to the requester about each decision and the
/// outcome. What to say is read from the audit entries the change appended, so every caller (card click, command,
/// REST API, timer) gets the same messages by calling <see cref="StageAsync"/> before saving.
/// </summary>
public sealed partial class ApprovalMessages(
    BotDbContext db, Outbox outbox, TeamsPeople people, ApprovalCards cards, ApprovalClock clock, IApprovalDocuments documents, ILogger<ApprovalMessages> logger)
{
    public static string Subject(long requestId) => $"approval:{requestId}";

    /// <summary>The card as <paramref name="viewer"/> sees it now (buttons only while they can decide).</summary>
    public async Task<JsonObject> CardAsync(ApprovalRequest request, PersonId? viewer, CancellationToken cancellationToken, string? error = null, string? notice = null, string? commentDraft = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var involved = new List<PersonId> { request.Requester };
        foreach (var run in request.StageRuns)
        {
            foreach (var seat in run.Seats)
            {
                involved.Add(seat.Owner);
                if (seat.Delegate is { } d) involved.Add(d);
                if (seat.DecidedBy is { } by) involved.Add(by);
            }
        }
        if (request.Outcome is { } outcome) involved.Add(outcome.DecidedBy);
        var names = await people.NamesAsync(involved, cancellationToken);
        var zone = await people.TimeZoneAsync(viewer, clock.TimeZone, cancellationToken);
        var refresh = await people.TeamsUserIdsAsync(request.WaitingFor, cancellationToken);
        var label = await SubjectLabelAsync(request, cancellationToken);
        var pinned = await documents.ForAsync(request, cancellationToken);
        return cards.Render(new ApprovalCardContext(request, viewer, names, zone, clock.Now, refresh, label, error, notice, commentDraft)
        {
            Documents = pinned.Documents,
            DocumentsNote = pinned.Note,
        });
    }

    /// <summary>
    /// Stages the messages for what changed since the request's audit trail had <paramref name="auditSeen"/> entries,
    /// then updates every copy of its card. Call before saving; nothing is sent until the save commits.
    /// </summary>
    /// <param name="postStatusCard">False when the requester already holds a status card (the form they submitted turned into it).</param>
    public async Task StageAsync(ApprovalRequest request, int auditSeen, CancellationToken cancellationToken, bool postStatusCard = true)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entries = request.AuditTrail.Skip(auditSeen).Where(e => e.Outcome == AuditOutcome.Accepted).ToList();
        if (entries.Count == 0) return;
        var names = await people.NamesAsync(entries.SelectMany(e => new[] { e.Actor, e.OnBehalfOf, e.DelegateTo }).OfType<PersonId>().Append(request.Requester), cancellationToken);
        string Who(AuditEntry e) => e.OnBehalfOf is { } owner ? $"{names(e.Actor!.Value)} (for {names(owner)})" : names(e.Actor!.Value);
        string Stage(AuditEntry e) => $"stage {e.StageNumber} ({e.StageName})";
        string Comment(AuditEntry e) => e.Comment is null ? "." : $": \u201c{e.Comment}\u201d";
        var title = $"\u201c{request.Title}\u201d (#{request.Id})";

        foreach (var entry in entries)
        {
            var key = $"{Subject(request.Id)}:audit:{entry.Sequence}";
            switch (entry.Action)
            {
                case AuditAction.Submitted when postStatusCard:
                    await SendCardAsync(request, request.Requester, $"{key}:status", cancellationToken);
                    break;
                case AuditAction.StageStarted when request.CurrentStage is { } run && run.StageNumber == entry.StageNumber && run.Revision == entry.Revision:
                    foreach (var holder in run.Waiting)
                        await SendCardAsync(request, holder, $"{key}:to:{holder.Value}", cancellationToken);
                    break;
                case AuditAction.Delegate when entry.DelegateTo is { } to:
                    await SendCardAsync(request, to, $"{key}:to:{to.Value}", cancellationToken);
                    await TellRequesterAsync(request, $"{Who(entry)} delegated {Stage(entry)} of {title} to {names(to)}{Comment(entry)}", key, cancellationToken);
                    break;
                case AuditAction.Approve:
                    await TellRequesterAsync(request, $"{Who(entry)} approved {Stage(entry)} of {title}{Comment(entry)}", key, cancellationToken);
                    break;
                case AuditAction.Reject:
                    await TellRequesterAsync(request, $"{Who(entry)} rejected {title} at {Stage(entry)}{Comment(entry)}", key, cancellationToken);
                    break;
                case AuditAction.RequestChanges:
                    await TellRequesterAsync(request, $"{Who(entry)} asked for changes to {title} at {Stage(entry)}{Comment(entry)} "
                        + ResubmitHint(request), key, cancellationToken);
                    break;
                case AuditAction.StageBlocked:
                    await TellRequesterAsync(request, $"{title} is waiting: {entry.Detail} Fix the directory, then it continues.", key, cancellationToken);
                    break;
                case AuditAction.DirectoryUnavailable:
                    await TellRequesterAsync(request, $"{title} is waiting: the directory is not answering right now, so I cannot look up who approves "
                        + $"{Stage(entry)}. Nothing is lost and there is nothing for you to do: I keep trying, and the stage starts by itself once the directory answers.",
                        key, cancellationToken);
                    break;
                case AuditAction.OutOfOffice when entry is { OnBehalfOf: { } away, DelegateTo: { } standIn }:
                    await TellAsync(request, away, $"You are out of office, so your approval of {title} ({Stage(entry)}, requested by {names(request.Requester)}) "
                        + $"went to {names(standIn)}, who decides for you. The card shows it as \u201c{names(standIn)} for {names(away)}\u201d.",
                        $"{key}:to:{away.Value}", cancellationToken);
                    break;
                case AuditAction.Completed:
                    await TellRequesterAsync(request, request.Status == ApprovalStatus.Approved
                        ? $"{title} is approved. Every stage has signed off."
                        : $"{title} is {request.Status.ToString().ToLowerInvariant()}.", $"{key}:outcome", cancellationToken);
                    break;
            }
        }

        await outbox.UpdateCardCopiesAsync(Subject(request.Id),
            (viewer, ct) => CardAsync(request, viewer is null ? null : new PersonId(viewer), ct),
            $"v{request.Version}", cancellationToken);
    }

    /// <summary>Posts the card as <paramref name="person"/> sees it into their 1:1 chat, opening one if needed.</summary>
    public async Task SendCardAsync(ApprovalRequest request, PersonId person, string dedupeKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reach = await people.ReachAsync(person, cancellationToken);
        if (reach is Reach.Unreachable unreachable)
        {
            var name = (await people.NamesAsync([person], cancellationToken))(person);
            LogUnreachable(logger, request.Id, person.Value, unreachable.Why);
            if (person != request.Requester)
                await TellRequesterAsync(request, $"I could not send the approval card for \u201c{request.Title}\u201d (#{request.Id}) to {name}: {unreachable.Why}. "
                    + "They can still decide with the command `approvals` once they open a chat with me.", $"{dedupeKey}:unreachable", cancellationToken);
            return;
        }

        var activity = CardActivities.ToMessage(await CardAsync(request, person, cancellationToken));
        var message = await outbox.SendAsync(reach, activity, dedupeKey, cancellationToken, Subject(request.Id), person.Value);
        if (message is { Id: 0 } && person != request.Requester && await RequesterChatAsync(request, cancellationToken) is { } requesterChat)
        {
            var name = (await people.NamesAsync([person], cancellationToken))(person);
            message.TellOnGiveUp(new GiveUpNotice(requesterChat.ServiceUrl, requesterChat.ConversationId,
                $"I could not deliver the approval card for \u201c{request.Title}\u201d (#{request.Id}) to {name}: {{reason}}. They can still decide with the command `approvals` once they open a chat with me."));
        }
    }

    /// <summary>A plain-text message to the requester's 1:1 chat (no markdown: names and comments are user text).</summary>
    public Task TellRequesterAsync(ApprovalRequest request, string text, string dedupeKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return TellAsync(request, request.Requester, text, dedupeKey, cancellationToken);
    }

    /// <summary>A plain-text message about the request to <paramref name="person"/>'s 1:1 chat.</summary>
    public async Task TellAsync(ApprovalRequest request, PersonId person, string text, string dedupeKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var activity = new Activity { Type = ActivityTypes.Message, Text = text, TextFormat = "plain" };
        var reach = await people.ReachAsync(person, cancellationToken);
        if (reach is Reach.Unreachable unreachable) LogUnreachable(logger, request.Id, person.Value, unreachable.Why);
        else await outbox.SendAsync(reach, activity, dedupeKey, cancellationToken);
    }

    private async Task<ConversationReference?> RequesterChatAsync(ApprovalRequest request, CancellationToken cancellationToken) =>
        await people.ReachAsync(request.Requester, cancellationToken) is Reach.Chat chat ? chat.Conversation : null;

    private static string ResubmitHint(ApprovalRequest request) => request.Subject.Kind == ApprovalSubjectKind.Agreement
        ? $"Revise the agreement (agreement edit {request.Subject.Id}), then resubmit it (agreement submit {request.Subject.Id})."
        : "Answer with the Resubmit button on the request's card.";

    private async Task<string?> SubjectLabelAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        if (request.Subject.Kind != ApprovalSubjectKind.Agreement || request.Subject.Id is not { } id)
            return request.Subject.Reference;
        var name = await db.Agreements.AsNoTracking().Where(a => a.Id == id).Select(a => a.Name).FirstOrDefaultAsync(cancellationToken);
        return $"Agreement {name ?? "#" + id} \u00b7 revision {request.Subject.Revision}";
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning, Message = "Approval request {RequestId}: {Person} cannot be reached: {Why}")]
    private static partial void LogUnreachable(ILogger logger, long requestId, string person, string why);
}
