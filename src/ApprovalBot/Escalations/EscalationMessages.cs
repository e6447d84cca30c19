using System.Globalization;
using System.Text.Json.Nodes;
using ApprovalBot.Approvals;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Escalations.Cards;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Outbox;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Escalations;

/// <summary>
/// Everything people see of an escalation, staged in the outbox with the change that causes it (rule 13): the card
/// for each notified person (in their 1:1 chat) and channel (a new post there), and after every change an in-place
/// update of every copy, each for its reader. Dedupe keys carry the timeline sequence, so a notification is staged
/// once however often a use case or timer retries.
/// </summary>
public sealed partial class EscalationMessages(
    BotDbContext db, Outbox outbox, TeamsPeople people, EscalationCards cards, ApprovalClock clock, ILogger<EscalationMessages> logger)
{
    public static string Subject(long escalationId) => $"escalation:{escalationId}";

    /// <summary>The survey card's own subject: updates of the escalation card never touch it.</summary>
    public static string SurveySubject(long escalationId) => $"escalation-survey:{escalationId}";

    /// <summary>
    /// The card as <paramref name="viewer"/> sees it (buttons when they may act); null viewer: the shared copy.
    /// <paramref name="viewerInLevelChannel"/>: the viewer reads it in the current level's channel, whose members may act.
    /// </summary>
    public async Task<JsonObject> CardAsync(
        Escalation escalation, PersonId? viewer, CancellationToken cancellationToken, string? headline = null, string? error = null, string? notice = null,
        bool viewerInLevelChannel = false)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        var involved = escalation.Timeline.Select(e => e.Actor).OfType<PersonId>()
            .Concat(escalation.Policy.Levels.SelectMany(l => l.Contacts.People))
            .Append(escalation.Reporter).Concat(escalation.Assignee is { } a ? [a] : []);
        var names = await people.NamesAsync(involved, cancellationToken);
        var zone = await people.TimeZoneAsync(viewer, clock.TimeZone, cancellationToken);
        var mayAct = viewer is { } v && (escalation.MayAct(v) || (viewerInLevelChannel && escalation.LevelChannelId is not null));
        var actors = escalation.CurrentContacts.People.Append(escalation.Reporter).Concat(escalation.Assignee is { } assignee ? [assignee] : []).Distinct().ToList();
        var refresh = escalation.IsActive ? await people.TeamsUserIdsAsync(actors, cancellationToken) : [];
        return cards.Render(new EscalationCardContext(escalation, viewer, mayAct, names, zone, clock.Now, refresh, headline, error, notice));
    }

    /// <summary>Stages the cards for <paramref name="notifications"/>, then updates every copy. Call before saving.</summary>
    public async Task StageAsync(Escalation escalation, IEnumerable<EscalationNotification> notifications, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        ArgumentNullException.ThrowIfNull(notifications);
        var subject = Subject(escalation.Id);
        var list = notifications.ToList();
        var names = await people.NamesAsync(list.Select(n => Entry(escalation, n)?.Actor).OfType<PersonId>(), cancellationToken);
        foreach (var notification in list)
        {
            var headline = Headline(escalation, notification, names);
            var key = $"{subject}:t{notification.TimelineSequence}";
            foreach (var person in notification.People.Distinct())
                await SendToPersonAsync(escalation, person, headline, $"{key}:to:{person.Value}", cancellationToken);
            foreach (var channel in notification.ChannelIds.Distinct(StringComparer.Ordinal))
                await SendToChannelAsync(escalation, channel, headline, $"{key}:channel:{Outbox.Hash(channel)}", cancellationToken);
        }

        await outbox.UpdateCardCopiesAsync(subject,
            (viewer, ct) => CardAsync(escalation, viewer is null ? null : new PersonId(viewer), ct),
            $"v{escalation.Version}", cancellationToken);
    }

    /// <summary>
    /// Stages the satisfaction survey about the current resolution for the reporter's 1:1 chat (call before saving,
    /// with the resolution; <see cref="Escalation.AskSurvey"/> records it). Staged once per resolution however often the
    /// use case retries.
    /// </summary>
    public async Task StageSurveyAsync(Escalation escalation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        var reporter = escalation.Reporter;
        var reach = await people.ReachAsync(reporter, cancellationToken);
        if (reach is Reach.Unreachable unreachable)
        {
            LogUnreachable(logger, escalation.Id, reporter.Value, unreachable.Why);
            return;
        }

        var resolution = escalation.ResolutionNumber;
        var activity = CardActivities.ToMessage(await SurveyCardAsync(escalation, resolution, reporter, cancellationToken));
        await outbox.SendAsync(reach, activity, string.Create(CultureInfo.InvariantCulture, $"{SurveySubject(escalation.Id)}:r{resolution}"),
            cancellationToken, SurveySubject(escalation.Id), reporter.Value);
    }

    /// <summary>
    /// The survey about resolution <paramref name="resolution"/> as <paramref name="viewer"/> sees it: the 1–5 choice and
    /// comment while the reporter can still answer it, the answer once given, and <paramref name="error"/> (why a click
    /// changed nothing) on top.
    /// </summary>
    public async Task<JsonObject> SurveyCardAsync(Escalation escalation, int resolution, PersonId? viewer, CancellationToken cancellationToken, string? error = null)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        var resolvedBy = escalation.Timeline.Where(e => e.Kind == EscalationEventKind.Resolved).ElementAtOrDefault(resolution - 1)?.Actor;
        var names = await people.NamesAsync(resolvedBy is { } by ? [by] : [], cancellationToken);
        var zone = await people.TimeZoneAsync(viewer, clock.TimeZone, cancellationToken);
        var answer = escalation.SurveyAnswerFor(resolution);
        var canAnswer = answer is null && viewer == escalation.Reporter && resolution == escalation.ResolutionNumber
            && escalation.State is EscalationState.Resolved or EscalationState.Closed;
        return cards.RenderSurvey(new EscalationSurveyCardData(
            EscalationCardModel.Reference(escalation.Id), escalation.Title, resolvedBy is { } person ? names(person) : "someone", canAnswer,
            new EscalationSurveyActionData(escalation.Id, resolution), error,
            answer is null ? null : new EscalationSurveyAnswerData(
                string.Create(CultureInfo.InvariantCulture, $"{answer.Score} of {Escalation.MaxSurveyScore}"), ApprovalCardModel.FormatTime(answer.At, zone), answer.Comment)));
    }

    private async Task SendToPersonAsync(Escalation escalation, PersonId person, string headline, string key, CancellationToken cancellationToken)
    {
        // Reach first: the card (three directory and database look-ups and a render) is built only for someone it can go to.
        var reach = await people.ReachAsync(person, cancellationToken);
        if (reach is Reach.Unreachable unreachable)
        {
            LogUnreachable(logger, escalation.Id, person.Value, unreachable.Why);
            return;
        }
        var activity = CardActivities.ToMessage(await CardAsync(escalation, person, cancellationToken, headline));
        await outbox.SendAsync(reach, activity, key, cancellationToken, Subject(escalation.Id), person.Value);
    }

    /// <summary>A new post in the level's channel (a shared copy: its readers get their buttons through refresh).</summary>
    private async Task SendToChannelAsync(Escalation escalation, string channelId, string headline, string key, CancellationToken cancellationToken)
    {
        var reference = await db.ConversationReferences
            .Where(r => (r.TeamsChannelId == channelId || r.ConversationId == channelId) && r.IsReachable)
            .OrderByDescending(r => r.UpdatedAt).FirstOrDefaultAsync(cancellationToken);
        if (reference is null)
        {
            LogUnreachable(logger, escalation.Id, channelId, "the bot is not installed in that channel's team");
            return;
        }

        var activity = CardActivities.ToMessage(await CardAsync(escalation, null, cancellationToken, headline));
        await outbox.SendAsync(reference, activity, key, cancellationToken, Subject(escalation.Id));
    }

    /// <summary>What happened, in a line at the top of the card (the card shortens a long note or reason).</summary>
    public static string Headline(Escalation escalation, EscalationNotification notification, Func<PersonId, string> nameOf)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(nameOf);
        var target = escalation.Policy.ResponseTarget;
        var entry = Entry(escalation, notification);
        var by = entry?.Actor is { } actor ? nameOf(actor) : "someone";
        return notification.Kind switch
        {
            EscalationEventKind.Assigned => $"Assigned to you by {by}.",
            EscalationEventKind.Resolved => $"Resolved by {by}: {entry?.Reason}",
            EscalationEventKind.Reopened => $"Reopened by {by}, back with {notification.Level}: {entry?.Reason}",
            EscalationEventKind.Opened => $"New {escalation.Priority} escalation for {notification.Level}: acknowledge it within {Duration(target)} of business time.",
            EscalationEventKind.LevelRaised => $"Raised to {notification.Level}: acknowledge it within {Duration(target)} of business time.",
            EscalationEventKind.ResolutionWarning => string.Create(CultureInfo.InvariantCulture, $"{notification.Percent} % of the resolution time is used."),
            EscalationEventKind.ResolutionBreached => "The resolution target is breached.",
            EscalationEventKind.ResponseBreached => "Nobody acknowledged it, L3 included: the response target is breached.",
            _ => $"{notification.Kind} at {notification.Level}.",
        };
    }

    /// <summary>The timeline entry that caused the notification.</summary>
    private static TimelineEntry? Entry(Escalation escalation, EscalationNotification notification) =>
        escalation.Timeline.FirstOrDefault(e => e.Sequence == notification.TimelineSequence);

    private static string Duration(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.##} h")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} min");

    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "Escalation {EscalationId}: {Target} cannot be reached: {Why}")]
    private static partial void LogUnreachable(ILogger logger, long escalationId, string target, string why);
}
