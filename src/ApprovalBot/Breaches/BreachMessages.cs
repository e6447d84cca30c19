using System.Globalization;
using System.Text.Json.Nodes;
using ApprovalBot.Breaches.Cards;
using ApprovalBot.Domain.Breaches;
using ApprovalBot.Domain.Common;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Outbox;

namespace ApprovalBot.Breaches;

/// <summary>
/// Everything people see of a data-protection incident, staged in the outbox with the change that causes it (rule 13):
/// the incident card to each data-protection contact reachable in Teams when it is reported (the others are recorded as
/// unreachable, with why, and listed on the card to call), the clock's warnings to the reporter and the contacts, and an
/// in-place update of every copy after each change ("one card, one truth"). Dedupe keys name the incident and the step,
/// so a retried timer or use case stages each message once.
/// </summary>
public sealed partial class BreachMessages(Outbox outbox, TeamsPeople people, CardRenderer cards, TimeProvider time, ILogger<BreachMessages> logger)
{
    public static string Subject(long breachId) => string.Create(CultureInfo.InvariantCulture, $"data-breach:{breachId}");

    /// <summary>
    /// Notifies every contact of a breach just opened (and saved: the cards need its id): sends the card to those
    /// reachable in Teams and records each as notified or unreachable. <paramref name="reporterHasCopy"/>: the reporter
    /// already gets a copy (the command's answer); otherwise they are sent one too. Call before saving.
    /// </summary>
    public async Task NotifyOpenedAsync(DataBreach breach, bool reporterHasCopy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(breach);
        var now = time.GetUtcNow();
        var send = new List<(PersonId Person, Reach Reach)>();
        foreach (var contact in breach.Contacts)
        {
            if (contact.Person is not { } person)
            {
                breach.RecordUnreachable(contact, "no Teams account on record", now);
                continue;
            }
            var reach = await people.ReachAsync(person, cancellationToken);
            if (reach is Reach.Unreachable unreachable)
            {
                breach.RecordUnreachable(contact, unreachable.Why, now);
                LogUnreachable(logger, breach.Id, person.Value, unreachable.Why);
                continue;
            }
            breach.RecordNotified(contact, now);
            if (send.All(s => s.Person != person)) send.Add((person, reach));
        }
        if (!reporterHasCopy && send.All(s => s.Person != breach.ReportedBy))
        {
            var reporterReach = await people.ReachAsync(breach.ReportedBy, cancellationToken);
            if (reporterReach is not Reach.Unreachable) send.Add((breach.ReportedBy, reporterReach));
        }

        foreach (var (person, reach) in send)
        {
            var card = await CardAsync(breach, person, cancellationToken);
            var key = string.Create(CultureInfo.InvariantCulture, $"{Subject(breach.Id)}:opened:to:{person.Value}");
            await outbox.SendAsync(reach, CardActivities.ToMessage(card), key, cancellationToken, Subject(breach.Id), person.Value);
        }
    }

    /// <summary>The clock reached <paramref name="percent"/> %: tells the reporter and every contact in Teams, and updates every copy. Call before saving.</summary>
    public async Task StageClockAsync(DataBreach breach, int percent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(breach);
        var acknowledged = await NamesOfAsync(breach.Acknowledgements.Select(a => a.Actor!.Value), cancellationToken);
        var title = percent >= 100
            ? $"{breach.Reference}: the notification deadline has passed"
            : string.Create(CultureInfo.InvariantCulture, $"{breach.Reference}: {percent} % of the notification deadline used");
        var text = (percent >= 100
                ? $"The deadline to notify both sides' data-protection contacts of the breach under '{breach.AgreementName}' passed at {DataBreach.Format(breach.DeadlineAt)}, and the incident is still open."
                : $"{DataBreach.Duration(breach.DeadlineAt - breach.ClockAt(percent))} left to notify both sides' data-protection contacts of the breach under '{breach.AgreementName}' (deadline {DataBreach.Format(breach.DeadlineAt)}).")
            + $" Acknowledged so far: {(acknowledged.Count == 0 ? "nobody" : string.Join(", ", acknowledged))}."
            + $" Close it with: breach close {breach.Reference} <note>.";
        var card = cards.Render(CardTemplates.Notice, new NoticeCardData(title, text, percent >= 90 ? NoticeTone.Attention : NoticeTone.Warning,
            [new NoticeFact("Incident", breach.Summary)]));
        var recipients = breach.Contacts.Where(c => c.Person is not null).Select(c => c.Person!.Value).Prepend(breach.ReportedBy).Distinct();
        foreach (var person in recipients)
        {
            var reach = await people.ReachAsync(person, cancellationToken);
            if (reach is Reach.Unreachable unreachable)
            {
                LogUnreachable(logger, breach.Id, person.Value, unreachable.Why);
                continue;
            }
            var key = string.Create(CultureInfo.InvariantCulture, $"{Subject(breach.Id)}:clock:{percent}:to:{person.Value}");
            await outbox.SendAsync(reach, CardActivities.ToMessage(card), key, cancellationToken);
        }
        await UpdateCopiesAsync(breach, cancellationToken);
    }

    /// <summary>Updates every posted copy of the incident's card, each for its reader. Call before saving.</summary>
    public Task UpdateCopiesAsync(DataBreach breach, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(breach);
        return outbox.UpdateCardCopiesAsync(Subject(breach.Id),
            (viewer, ct) => CardAsync(breach, viewer is null ? null : new PersonId(viewer), ct),
            string.Create(CultureInfo.InvariantCulture, $"v{breach.Version}"), cancellationToken);
    }

    /// <summary>The card as <paramref name="viewer"/> sees it: Acknowledge when they are a contact who has not acknowledged, while it is open.</summary>
    public async Task<JsonObject> CardAsync(DataBreach breach, PersonId? viewer, CancellationToken cancellationToken, string? error = null, string? notice = null)
    {
        ArgumentNullException.ThrowIfNull(breach);
        var names = await people.NamesAsync(breach.Events.Where(e => e.Actor is not null).Select(e => e.Actor!.Value).Append(breach.ReportedBy).Distinct(), cancellationToken);
        var now = time.GetUtcNow();
        var open = breach.State == BreachState.Open;
        var status = open
            ? now < breach.DeadlineAt
                ? $"Open: both sides' data-protection contacts are to be notified by {DataBreach.Format(breach.DeadlineAt)} ({DataBreach.Duration(breach.DeadlineAt - now)} left)."
                : $"Open, and the notification deadline passed at {DataBreach.Format(breach.DeadlineAt)}."
            : $"Closed at {DataBreach.Format(breach.ClosedAt!.Value)} by {names(breach.ClosedBy!.Value)}: {breach.CloseNote}";
        var tone = !open ? NoticeTone.Default : breach.ClockPercent >= 90 ? NoticeTone.Attention : NoticeTone.Warning;
        var facts = new List<NoticeFact>
        {
            new("Reported", $"{DataBreach.Format(breach.ReportedAt)} by {names(breach.ReportedBy)}"),
            new("Deadline", $"{DataBreach.Format(breach.DeadlineAt)} ({DataBreach.Duration(breach.NotificationDeadline)} after the report)"),
            new("Agreement", string.Create(CultureInfo.InvariantCulture, $"{breach.AgreementName} (revision {breach.AgreementRevision})")),
        };
        var rows = breach.Contacts.Select(c => Row(breach, c, names)).ToList();
        var canAcknowledge = open && viewer is { } v && breach.IsContact(v) && breach.AcknowledgedAt(v) is null;
        return cards.Render(CardTemplates.DataBreach, new BreachCardData(
            breach.Id, $"{breach.Reference} · {breach.AgreementName}", breach.Summary, tone, status, facts, rows, canAcknowledge,
            new BreachActionData(breach.Id), error, notice));
    }

    private static BreachContactRow Row(DataBreach breach, BreachContact contact, Func<PersonId, string> names)
    {
        var label = DataBreach.Label(contact);
        if (contact.Person is { } person && breach.AcknowledgedAt(person) is { } at)
            return new BreachContactRow(label, $"Acknowledged by {names(person)} at {DataBreach.Format(at)}", false);
        var last = breach.Events.LastOrDefault(e => e.Contact == label && e.Kind is BreachEventKind.Notified or BreachEventKind.Unreachable);
        return last?.Kind switch
        {
            BreachEventKind.Notified => new BreachContactRow(label, $"Notified in Teams at {DataBreach.Format(last.At)}; not acknowledged yet.", false),
            BreachEventKind.Unreachable => new BreachContactRow(label, last.Detail ?? "Not reachable in Teams.", true),
            _ => new BreachContactRow(label, contact.OtherWays is { } ways ? $"Contact them directly: {ways}." : "Not notified.", true),
        };
    }

    private async Task<IReadOnlyList<string>> NamesOfAsync(IEnumerable<PersonId> ids, CancellationToken cancellationToken)
    {
        var list = ids.ToList();
        var names = await people.NamesAsync(list, cancellationToken);
        return [.. list.Select(names)];
    }

    [LoggerMessage(EventId = 4900, Level = LogLevel.Warning, Message = "Data breach {BreachId}: cannot reach {Person} in Teams: {Why}")]
    private static partial void LogUnreachable(ILogger logger, long breachId, string person, string why);
}
