using System.Globalization;
using System.Text.Json.Nodes;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Outbox;

namespace ApprovalBot.Agreements.Term;

/// <summary>
/// Everything people see of an agreement's end of term, staged in the outbox with the change that causes it (rule 13):
/// the reminder card to each oversight owner (1:1), an in-place update of every copy after a choice or the end, and a
/// notice to the owners when the agreement expires or is terminated. Dedupe keys name the agreement and the step, so a
/// retried timer or use case stages each message once.
/// </summary>
public sealed partial class TermMessages(
    Outbox outbox, TeamsPeople people, CardRenderer cards, TermClock clock, Announcement.AnnouncementMessages announcements, ILogger<TermMessages> logger)
{
    public static string Subject(long agreementId) => string.Create(CultureInfo.InvariantCulture, $"agreement-term:{agreementId}");

    /// <summary>Who gets the reminders: the oversight owners of the terms in force (product.md §1: "our people who oversee the provider").</summary>
    public static IReadOnlyList<PersonId> Owners(Agreement agreement) =>
        (agreement ?? throw new ArgumentNullException(nameof(agreement))).TermsInForce?.OversightOwners
        ?? (agreement.ActiveRevisionNumber is { } n ? agreement.Revisions.Single(r => r.Number == n).Terms.OversightOwners : agreement.Terms.OversightOwners);

    /// <summary>
    /// The card as <paramref name="viewer"/> sees it: the buttons when they may decide and nothing is decided yet
    /// (Terminate only before the notice deadline); after a renewal was decided, its outcome.
    /// </summary>
    public async Task<JsonObject> CardAsync(Agreement agreement, PersonId? viewer, bool viewerMayDecide, CancellationToken cancellationToken, string? error = null, string? notice = null)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var renewalDecider = RenewalDecided(agreement) is { Decision: { } decision } ? decision.DecidedBy : (PersonId?)null;
        var names = await people.NamesAsync(new[] { agreement.TermChoiceBy, renewalDecider }.OfType<PersonId>(), cancellationToken);
        var who = agreement.TermChoiceBy is { } by ? names(by) : null;
        var schedule = agreement.TermSchedule(clock.Zone);
        var terms = agreement.TermsInForce;
        var facts = new List<NoticeFact>();
        if (schedule is not null)
        {
            facts.Add(new NoticeFact("Term", $"{TermDates.Format(schedule.StartDate)} to {TermDates.Format(schedule.EndDate)}"));
            facts.Add(new NoticeFact("Notice deadline", $"{TermDates.Format(schedule.NoticeDate)} ({Period(schedule.Notice)} notice)"));
        }
        if (terms?.ProviderName is { } provider) facts.Add(new NoticeFact("Provider", provider));
        var (text, tone) = Describe(agreement, schedule, who, names);
        var canChoose = viewer is not null && viewerMayDecide && agreement.Status == AgreementStatus.Active && agreement.TermChoice is null && !JustRenewed(agreement);
        var canTerminate = canChoose && schedule is not null && clock.Now < schedule.NoticeDeadline;
        var reasons = agreement.AcceptedTerminationReasons.Select(r => new TermChoiceItem(r, r)).ToList();
        return cards.Render(CardTemplates.AgreementTerm, new TermCardData(
            agreement.Id, agreement.Name, tone, text, facts, canChoose, reasons, new TermActionData(agreement.Id, agreement.Version), error, notice, canTerminate));
    }

    /// <summary>The latest renewal revision once decided (approved, rejected or sent back), while no one has chosen since; null otherwise.</summary>
    private static AgreementRevision? RenewalDecided(Agreement agreement)
    {
        var current = agreement.CurrentRevision;
        return agreement.TermChoice is null && current.Outcome is not null && agreement.IsRenewalRevision(current.Number) ? current : null;
    }

    /// <summary>A renewal was approved and no reminder of the new term has gone out yet: the card reports the renewal, with nothing to choose.</summary>
    private static bool JustRenewed(Agreement agreement) =>
        RenewalDecided(agreement) is { Outcome: RevisionOutcome.Approved } revision && revision.Number == agreement.ActiveRevisionNumber
        && (agreement.TermRemindedThrough is null || agreement.TermRemindedThrough <= revision.OutcomeAt);

    private (string Text, NoticeTone Tone) Describe(Agreement agreement, TermSchedule? schedule, string? who, Func<PersonId, string> names)
    {
        var on = agreement.TermChoiceAt is { } at && schedule is not null ? TermDates.Format(TermDates.LocalDate(at, schedule.Zone)) : "";
        var decided = RenewalDecided(agreement);
        var decidedBy = decided?.Decision is { } d ? $" by {names(d.DecidedBy)}" : "";
        var decidedOn = decided?.OutcomeAt is { } when ? $" on {TermDates.Format(TermDates.LocalDate(when, clock.Zone))}" : "";
        if (agreement.Status != AgreementStatus.Active)
        {
            var ended = $"{agreement.Name} {agreement.EndedDescription(clock.Zone)}. New escalations against it are refused; open ones run to closure.";
            if (agreement.RenewalPending)
                return ($"{ended} Its renewal (revision {agreement.CurrentRevision.Number}, the next term from {TermDates.Format(agreement.CurrentRevision.Terms.StartDate ?? default)}) is still in approval: if it is approved, {agreement.Name} is Active again on that term.", NoticeTone.Attention);
            if (decided is { Outcome: not RevisionOutcome.Approved })
                return ($"{ended} Its renewal (revision {decided.Number}) was {Outcome(decided.Outcome)}{decidedBy}{decidedOn}.", NoticeTone.Default);
            return (ended, NoticeTone.Default);
        }
        if (schedule is null) return ($"{agreement.Name} has no end date or notice period.", NoticeTone.Default);
        if (JustRenewed(agreement))
            return ($"Renewed: revision {decided!.Number} (the next term) was approved{decidedBy}{decidedOn}. {agreement.Name} now runs until {TermDates.Format(schedule.EndDate)}; its next notice deadline is {TermDates.Format(schedule.NoticeDate)}.", NoticeTone.Good);
        if (agreement.TermChoice is null && decided is { Outcome: not RevisionOutcome.Approved })
        {
            var choices = clock.Now < schedule.NoticeDeadline
                ? "Renew it again (a new revision goes into approval), let it expire, or terminate it with notice."
                : $"The notice deadline ({TermDates.Format(schedule.NoticeDate)}) has passed, so it can no longer be terminated before its end: renew it again (a new revision goes into approval) or let it expire.";
            return ($"Renewal {Outcome(decided.Outcome)}: revision {decided.Number} was {Outcome(decided.Outcome)}{decidedBy}{decidedOn}. {agreement.Name} expires after its last day, {TermDates.Format(schedule.EndDate)}, unless it is renewed. {choices}", NoticeTone.Warning);
        }
        return agreement.TermChoice switch
        {
            TermChoice.Renew => ($"{who} started the renewal on {on}: revision {agreement.CurrentRevision.Number} (the next term) is in approval. Until it is approved the agreement runs on its current term, which ends {TermDates.Format(schedule.EndDate)}.", NoticeTone.Good),
            TermChoice.LetExpire => ($"{who} chose on {on} to let {agreement.Name} expire. It expires after its last day, {TermDates.Format(schedule.EndDate)}.", NoticeTone.Default),
            TermChoice.Terminate => ($"{who} terminated {agreement.Name} on {on} (reason: {agreement.TerminationReason}). It ends on {TermDates.Format(TermDates.LocalDate(agreement.TerminationEffectiveAt ?? schedule.EndsAt, schedule.Zone))}.", NoticeTone.Attention),
            _ => (NoticeText(agreement, schedule), NoticeTone.Warning),
        };
    }

    private static string Outcome(RevisionOutcome? outcome) => outcome switch
    {
        RevisionOutcome.Approved => "approved",
        RevisionOutcome.ChangesRequested => "sent back for changes",
        _ => "rejected",
    };

    private string NoticeText(Agreement agreement, TermSchedule schedule)
    {
        var days = (schedule.NoticeDate.DayNumber - TermDates.LocalDate(clock.Now, schedule.Zone).DayNumber);
        var when = days switch
        {
            < 0 => "has passed",
            0 => "is today",
            1 => "is tomorrow",
            _ => string.Create(CultureInfo.InvariantCulture, $"is in {days} days"),
        };
        return $"The notice deadline of {agreement.Name} {when} ({TermDates.Format(schedule.NoticeDate)}); its term ends {TermDates.Format(schedule.EndDate)}. "
            + "Renew it (the next term goes into approval), let it expire at its end date, or terminate it with notice.";
    }

    /// <summary>Stages the reminder that fell due at <paramref name="dueAt"/> for each oversight owner. Call before saving.</summary>
    public async Task StageReminderAsync(Agreement agreement, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var owners = Owners(agreement);
        if (owners.Count == 0) LogNobody(logger, agreement.Id);
        foreach (var person in owners.Distinct())
        {
            var reach = await people.ReachAsync(person, cancellationToken);
            if (reach is Reach.Unreachable unreachable)
            {
                LogUnreachable(logger, agreement.Id, person.Value, unreachable.Why);
                continue;
            }
            var card = await CardAsync(agreement, person, viewerMayDecide: true, cancellationToken);
            var key = string.Create(CultureInfo.InvariantCulture, $"{Subject(agreement.Id)}:reminder:{dueAt.ToUnixTimeSeconds()}:to:{person.Value}");
            await outbox.SendAsync(reach, CardActivities.ToMessage(card), key, cancellationToken, Subject(agreement.Id), person.Value);
        }
        await UpdateCopiesAsync(agreement, cancellationToken);
    }

    /// <summary>The agreement expired or was terminated: every copy shows it, and each owner is told. Call before saving.</summary>
    public async Task StageEndedAsync(Agreement agreement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var title = agreement.Status == AgreementStatus.Expired ? $"Expired: {agreement.Name}" : $"Terminated: {agreement.Name}";
        var text = $"{agreement.Name} {agreement.EndedDescription(clock.Zone)}. New escalations against it are refused; open ones run to closure.";
        if (agreement.RenewalPending)
            text += $" Its renewal (revision {agreement.CurrentRevision.Number}) is still in approval: if it is approved, {agreement.Name} is Active again on the next term.";
        foreach (var person in Owners(agreement).Distinct())
        {
            var reach = await people.ReachAsync(person, cancellationToken);
            if (reach is Reach.Unreachable) continue;
            var card = cards.Render(CardTemplates.Notice, new NoticeCardData(title, text, NoticeTone.Attention));
            await outbox.SendAsync(reach, CardActivities.ToMessage(card), $"{Subject(agreement.Id)}:{agreement.Status}:to:{person.Value}", cancellationToken);
        }
        await UpdateCopiesAsync(agreement, cancellationToken);
        await announcements.UpdateAllCopiesAsync(agreement, cancellationToken);
    }

    /// <summary>Updates every posted copy of the agreement's term card, each for its reader. Call before saving.</summary>
    public Task UpdateCopiesAsync(Agreement agreement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        return outbox.UpdateCardCopiesAsync(Subject(agreement.Id),
            (viewer, ct) => CardAsync(agreement, viewer is null ? null : new PersonId(viewer), viewerMayDecide: viewer is not null && Owners(agreement).Contains(new PersonId(viewer)), ct),
            string.Create(CultureInfo.InvariantCulture, $"v{agreement.Version}"), cancellationToken);
    }

    /// <summary>"3 months'", "1 week's": the possessive before "notice".</summary>
    private static string Period(CalendarPeriod period) => period.Count == 1
        ? $"1 {period.Unit.ToString()[..^1].ToLowerInvariant()}'s"
        : string.Create(CultureInfo.InvariantCulture, $"{period.Count} {period.Unit.ToString().ToLowerInvariant()}'");

    [LoggerMessage(EventId = 4800, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: no oversight owner to remind of the notice deadline")]
    private static partial void LogNobody(ILogger logger, long agreementId);

    [LoggerMessage(EventId = 4801, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: cannot reach {Person} with the end-of-term card: {Why}")]
    private static partial void LogUnreachable(ILogger logger, long agreementId, string person, string why);
}
