using ApprovalBot.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Escalations;

public enum EscalationAction
{
    Acknowledge,
    Resolve,
    Escalate,
    Hold,
    Resume,
    Assign,
    Reopen,
    Close,

    /// <summary>The reporter answers the satisfaction survey: <see cref="ActOnEscalationInput.Score"/>, the comment as Text.</summary>
    AnswerSurvey,
}

/// <summary>
/// Someone acts on an escalation. <paramref name="InLevelChannel"/>: the host found them in the current level's
/// channel (a click on the copy posted there). <paramref name="Text"/>: the reason (escalate, hold, reopen) or note
/// (resolve), or the survey comment. <paramref name="Assignee"/>: who to assign (assign only). <paramref name="Score"/>
/// and <paramref name="Resolution"/>: the survey answer's 1–5 (null: none given, refused) and the resolution the survey
/// asked about (answer only).
/// </summary>
public sealed record ActOnEscalationInput(
    long EscalationId, PersonId Actor, bool InLevelChannel, EscalationAction Action, string? Text, PersonId? Assignee = null,
    int? Score = null, int? Resolution = null);

/// <summary>
/// The escalation as it is now (null when there is none), and why the action was refused, if it was: the domain's
/// message for people and its stable code (<c>escalation.forbidden</c>, <c>escalation.transition</c>, …) for callers
/// that answer differently per rule, such as the REST API (403 or 409).
/// </summary>
public sealed record ActOnEscalationResult(Escalation? Escalation, string? Refusal, string? RefusalCode = null);

/// <summary>
/// Applies an action through the domain (which checks who may act and which transitions are legal), stages the
/// notifications it causes (a manual escalation: the new level; an assignment: the assignee; a resolution: the
/// reporter; a reopening: the current level) and the update of every copy of the card, commits, and re-plans the
/// timer. A resolution also sends the reporter the satisfaction survey (see <see cref="ShouldAskSurveyAsync"/>). A
/// refused action changes nothing and says why. A lost race is retried from a reload.
/// </summary>
public sealed class ActOnEscalation(
    BotDbContext db, EscalationMessages messages, EscalationTimers timers, ApprovalClock clock, IOptions<EscalationsOptions> options)
{
    public Task<ActOnEscalationResult> HandleAsync(ActOnEscalationInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return db.RetryOnConflictAsync(async ct =>
        {
            var escalation = await db.Escalations.FirstOrDefaultAsync(e => e.Id == input.EscalationId, ct);
            if (escalation is null) return new ActOnEscalationResult(null, null);
            var actor = new EscalationActor(input.Actor, input.InLevelChannel);
            var now = clock.Now;
            var notifications = new List<EscalationNotification>();
            var askSurvey = false;
            try
            {
                switch (input.Action)
                {
                    case EscalationAction.Acknowledge: escalation.Acknowledge(actor, now); break;
                    case EscalationAction.Resolve:
                        var resolved = escalation.Resolve(actor, input.Text ?? "", now);
                        notifications.AddRange(ToReporter(escalation, resolved));
                        askSurvey = await ShouldAskSurveyAsync(escalation, resolved, now, ct);
                        if (askSurvey) escalation.AskSurvey(now);
                        break;
                    case EscalationAction.Hold: escalation.Hold(actor, input.Text ?? "", now); break;
                    case EscalationAction.Resume: escalation.Resume(actor, now); break;
                    case EscalationAction.Assign: notifications.AddRange(ToAssignee(escalation, escalation.Assign(actor, input.Assignee ?? default, now))); break;
                    case EscalationAction.Reopen: notifications.Add(ToLevel(escalation, escalation.Reopen(actor, input.Text ?? "", now), input.InLevelChannel)); break;
                    case EscalationAction.Close: escalation.Close(actor, now); break;
                    case EscalationAction.Escalate: notifications.Add(escalation.EscalateManually(actor, input.Text ?? "", now)); break;
                    case EscalationAction.AnswerSurvey: escalation.AnswerSurvey(input.Actor, input.Resolution ?? 0, input.Score ?? 0, input.Text, now); break;
                    default: throw new ArgumentOutOfRangeException(nameof(input), input.Action, "Unknown escalation action.");
                }
            }
            catch (DomainException e)
            {
                return new ActOnEscalationResult(escalation, e.Message, e.Code);
            }

            await messages.StageAsync(escalation, notifications, ct);
            if (askSurvey) await messages.StageSurveyAsync(escalation, ct);
            await db.SaveChangesAsync(ct);
            await timers.ArmAsync(escalation, ct);
            return new ActOnEscalationResult(escalation, null);
        }, cancellationToken);
    }

    /// <summary>
    /// Whether the reporter gets the satisfaction survey about this resolution: not when <c>Escalations:SurveyInterval</c>
    /// is zero; not when they resolved it themselves (they just said what happened; the card would ask them to rate
    /// their own click); not when they were sent a survey about any escalation less than the interval ago (the latest
    /// <see cref="Escalation.SurveyAskedAt"/> over the escalations they reported).
    /// </summary>
    private async Task<bool> ShouldAskSurveyAsync(Escalation escalation, TimelineEntry resolved, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var interval = options.Value.SurveyInterval;
        if (interval <= TimeSpan.Zero || resolved.Actor == escalation.Reporter) return false;
        var reporter = escalation.Reporter;
        var since = now - interval;
        return !await db.Escalations.AsNoTracking()
            .AnyAsync(e => e.Reporter == reporter && e.SurveyAskedAt != null && e.SurveyAskedAt > since, cancellationToken);
    }

    // Who is told, besides the copies updated in place. The actor is left out (and the level's channel when they acted
    // there): their answer is the card itself.

    /// <summary>The new assignee gets the card in their 1:1 chat (unless they assigned themselves).</summary>
    private static IEnumerable<EscalationNotification> ToAssignee(Escalation escalation, TimelineEntry entry) =>
        escalation.Assignee is { } assignee && assignee != entry.Actor ? [Notification(escalation, entry, [assignee], [])] : [];

    /// <summary>The reporter gets the card with the note (unless they resolved it themselves).</summary>
    private static IEnumerable<EscalationNotification> ToReporter(Escalation escalation, TimelineEntry entry) =>
        escalation.Reporter != entry.Actor ? [Notification(escalation, entry, [escalation.Reporter], [])] : [];

    /// <summary>A reopened escalation goes back to the current level's people and channel.</summary>
    private static EscalationNotification ToLevel(Escalation escalation, TimelineEntry entry, bool actedInLevelChannel) =>
        Notification(escalation, entry, [.. escalation.CurrentContacts.People.Where(p => p != entry.Actor)],
            escalation.LevelChannelId is { } channel && !actedInLevelChannel ? [channel] : []);

    private static EscalationNotification Notification(Escalation escalation, TimelineEntry entry, IReadOnlyList<PersonId> people, IReadOnlyList<string> channels) =>
        new(entry.Kind, entry.At, escalation.Level, null, people, channels, entry.Sequence);
}
