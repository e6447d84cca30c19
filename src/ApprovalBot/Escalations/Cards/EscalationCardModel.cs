using System.Globalization;
using System.Text.Json;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Escalations.Cards;

/// <summary>What an escalation card is built from: the escalation, whose copy it is, and how to show names and times.</summary>
/// <param name="Escalation">The escalation as it is now.</param>
/// <param name="Viewer">Whose copy this is; null for a shared copy (a channel post).</param>
/// <param name="ViewerMayAct">
/// The host's answer whether the reader may act (<see cref="Escalation.MayAct"/>, or a member of the level's channel);
/// for a shared copy, whether the channel's members may. Buttons are shown only when true and the state allows them.
/// </param>
/// <param name="NameOf">The display name of a person id.</param>
/// <param name="TimeZone">The reader's time zone; every time is shown in it, with its id.</param>
/// <param name="Now">The current time (from the TimeProvider): the clocks are read at it.</param>
/// <param name="RefreshUserIds">Teams user ids of the people who may act; the model keeps at most 60.</param>
/// <param name="Headline">Why this card was sent, e.g. "Raised to L2: not acknowledged within 1 h".</param>
/// <param name="Error">Shown at the top in attention style.</param>
/// <param name="Notice">Shown at the top in good style.</param>
public sealed record EscalationCardContext(
    Escalation Escalation,
    PersonId? Viewer,
    bool ViewerMayAct,
    Func<PersonId, string> NameOf,
    TimeZoneInfo TimeZone,
    DateTimeOffset Now,
    IReadOnlyList<string> RefreshUserIds,
    string? Headline = null,
    string? Error = null,
    string? Notice = null);

/// <summary>
/// How much of each unbounded part the card shows. <see cref="Standard"/> is what a card normally shows (the latest 10
/// timeline entries, reasons cut at 300 characters); when the estimated card would exceed the renderer's budget (60
/// long Teams ids, maximal texts of many bytes per character) the model takes the next level.
/// </summary>
internal sealed record EscalationCardLimits(int Description, int Reason, int Entries, int Name, int ContactNames, int Text)
{
    public static readonly EscalationCardLimits Standard = new(Description: 1000, Reason: 300, Entries: 10, Name: 48, ContactNames: 8, Text: 200);

    public static readonly EscalationCardLimits Reduced = new(Description: 600, Reason: 200, Entries: 8, Name: 48, ContactNames: 6, Text: 200);

    public static readonly EscalationCardLimits Compact = new(Description: 400, Reason: 120, Entries: 6, Name: 40, ContactNames: 4, Text: 160);

    public static readonly EscalationCardLimits Minimal = new(Description: 150, Reason: 60, Entries: 3, Name: 30, ContactNames: 2, Text: 120);

    /// <summary>The levels, most generous first.</summary>
    public static readonly IReadOnlyList<EscalationCardLimits> Levels = [Standard, Reduced, Compact, Minimal];
}

/// <summary>
/// Builds the data of the escalation card from the domain. Pure: no I/O, no clock (the context brings <c>Now</c>).
/// Decides what the card offers: buttons only when the host says the reader may act and the state allows the action;
/// both SLA clocks in words, read at <c>Now</c>; times in the reader's time zone.
/// </summary>
public static class EscalationCardModel
{
    /// <summary>Teams refreshes a card automatically for at most 60 user ids (bot-protocol.md §1.8).</summary>
    public const int MaxRefreshUserIds = 60;

    /// <summary>Bytes the model aims to stay under: the renderer's budget less a margin.</summary>
    internal const int TargetBytes = CardRenderer.DefaultMaxCardBytes - 512;

    // Upper bounds of the template's JSON around the data (measured on cards/escalation.json; a test keeps them honest).
    private const int FixedOverheadBytes = 5500;
    private const int EntryOverheadBytes = 220;

    /// <summary>
    /// The card's data, with the most generous caps under which the card stays within the renderer's size budget: the
    /// latest 10 timeline entries and reasons cut at 300 characters normally, fewer and shorter when the content is
    /// large (see <see cref="EscalationCardLimits"/>).
    /// </summary>
    public static EscalationCardData Build(EscalationCardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        EscalationCardData? data = null;
        foreach (var limits in EscalationCardLimits.Levels)
        {
            data = Build(context, limits);
            if (EstimateBytes(data) <= TargetBytes) break;
        }

        return data!;
    }

    /// <summary>An upper bound of the rendered card's size: the data's JSON plus the template around it.</summary>
    internal static int EstimateBytes(EscalationCardData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var bound = CardText.NeutraliseStrings(JsonSerializer.SerializeToNode(data, CardRenderer.DataJsonOptions)); // as the renderer binds it
        return CardRenderer.MeasureBytes(bound!) + FixedOverheadBytes + (data.Timeline.Count * EntryOverheadBytes);
    }

    internal static EscalationCardData Build(EscalationCardContext context, EscalationCardLimits limits)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(limits);
        var escalation = context.Escalation;
        var view = new View(context, limits);
        var state = escalation.State;
        var active = escalation.IsActive;
        var may = context.ViewerMayAct;
        var response = escalation.ResponseElapsed(context.Now);
        var resolution = escalation.ResolutionElapsed(context.Now);
        var (timeline, earlier) = Timeline(escalation, view);

        return new EscalationCardData(
            Action: new EscalationActionData(escalation.Id, escalation.Version),
            RefreshUserIds: [.. context.RefreshUserIds.Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).Take(MaxRefreshUserIds)],
            Reference: Reference(escalation.Id),
            Title: Shorten(escalation.Title, Escalation.MaxTitleLength),
            AgreementName: Shorten(escalation.Policy.AgreementName, limits.Text),
            Priority: escalation.Priority.ToString(),
            Level: Shorten($"{escalation.Level} · {LevelDescription(escalation)}", limits.Text + 10),
            Contacts: Contacts(escalation, view),
            Status: Status(escalation, response, resolution, view),
            ReporterName: view.Name(escalation.Reporter),
            OpenedAt: view.Time(escalation.OpenedAt),
            Response: ResponseClock(escalation, response, context.Now, view),
            Resolution: ResolutionClock(escalation, resolution, context.Now, view),
            Timeline: timeline,
            CanAcknowledge: may && (state == EscalationState.Open || (state == EscalationState.OnHold && escalation.StateBeforeHold == EscalationState.Open)),
            CanResolve: may && active,
            CanEscalate: may && active && escalation.Level < SupportLevel.L3,
            CanHold: may && (state is EscalationState.Open or EscalationState.Acknowledged),
            CanResume: may && state == EscalationState.OnHold,
            AssigneeName: escalation.Assignee is { } assignee ? view.Name(assignee) : null,
            Description: Optional(escalation.Description, limits.Description),
            EarlierEntries: earlier,
            ViewerStatus: context.Viewer is not null && !may && active ? WhoMayAct(escalation) : null,
            Headline: Optional(context.Headline, limits.Text),
            Error: Optional(context.Error, limits.Text),
            Notice: Optional(context.Notice, limits.Text));
    }

    /// <summary>"E-42".</summary>
    public static string Reference(long escalationId) => "E-" + escalationId.ToString(CultureInfo.InvariantCulture);

    /// <summary>"20 min", "1 h", "1 h 5 min", "2 d 3 h": whole minutes (cut, or rounded up with <paramref name="roundUp"/>), the two largest units.</summary>
    internal static string Duration(TimeSpan span, bool roundUp = false)
    {
        var minutes = (long)(roundUp ? Math.Ceiling(span.TotalMinutes) : Math.Floor(span.TotalMinutes));
        if (minutes <= 0) return "0 min";
        var parts = new List<string>();
        var (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
        if (days > 0) parts.Add(Invariant($"{days} d"));
        if (hours > 0) parts.Add(Invariant($"{hours} h"));
        if (mins > 0 && days == 0) parts.Add(Invariant($"{mins} min"));
        return string.Join(' ', parts);
    }

    private static string Shorten(string text, int max) => ApprovalCardModel.Shorten(text, max);

    private static string? Optional(string? text, int max) => string.IsNullOrWhiteSpace(text) ? null : Shorten(text.Trim(), max);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Percent(SlaClock clock) => Invariant($"{Math.Floor(clock.PercentUsed):0} %");

    private static string LevelDescription(Escalation escalation) =>
        escalation.Policy.For(escalation.Level).Description is { Length: > 0 } description
            ? description
            : escalation.Level switch
            {
                SupportLevel.L1 => "First-line support",
                SupportLevel.L2 => "Technical support",
                _ => "Management support",
            };

    private static string Contacts(Escalation escalation, View view)
    {
        var contacts = escalation.CurrentContacts;
        var names = contacts.People.Take(view.Limits.ContactNames).Select(view.Name).ToList();
        var others = contacts.People.Count - names.Count;
        if (others > 0) names.Add(others == 1 ? "1 other" : Invariant($"{others} others"));
        if (contacts.ChannelId is not null) names.Add($"the {escalation.Level} channel");
        return ApprovalCardModel.JoinNames(names);
    }

    private static string WhoMayAct(Escalation escalation)
    {
        var who = new List<string>();
        if (escalation.CurrentContacts.People.Count > 0) who.Add($"the {escalation.Level} contacts");
        if (escalation.LevelChannelId is not null) who.Add($"members of the {escalation.Level} channel");
        if (escalation.Assignee is not null) who.Add("the assignee");
        who.Add("the reporter");
        return $"Only {ApprovalCardModel.JoinNames(who)} can act on this escalation.";
    }

    private static EscalationCardStatus Status(Escalation escalation, SlaClock response, SlaClock resolution, View view)
    {
        var breached = resolution.IsBreached || (escalation.State == EscalationState.Open && response.IsBreached);
        var tone = escalation.State switch
        {
            EscalationState.Resolved or EscalationState.Closed => EscalationCardTone.Good,
            _ when breached => EscalationCardTone.Attention,
            EscalationState.OnHold => EscalationCardTone.Warning,
            _ when resolution.PercentUsed >= 75 => EscalationCardTone.Warning,
            _ => EscalationCardTone.Accent,
        };
        var acknowledged = escalation.AcknowledgedAt is { } at && escalation.AcknowledgedBy is { } by
            ? $"Acknowledged by {view.Name(by)} on {view.Time(at)}."
            : null;
        switch (escalation.State)
        {
            case EscalationState.Open:
                return new("Open", tone, $"Waiting for {escalation.Level} to acknowledge.");
            case EscalationState.Acknowledged:
                return new("Acknowledged", tone, acknowledged);
            case EscalationState.OnHold:
                var hold = escalation.Timeline.LastOrDefault(e => e.Kind == EscalationEventKind.Held);
                var since = escalation.HoldPeriods[^1].From;
                var holder = hold?.Actor is { } h ? " by " + view.Name(h) : string.Empty;
                var resumesTo = escalation.StateBeforeHold == EscalationState.Open ? "open" : "acknowledged";
                return new("On hold", tone, $"Put on hold{holder} on {view.Time(since)}; clocks paused. Resumes as {resumesTo}.", view.Reason(hold?.Reason));
            default:
                var resolvedBy = escalation.ResolvedBy is { } r ? " by " + view.Name(r) : string.Empty;
                var resolvedAt = escalation.ResolvedAt is { } ra ? " on " + view.Time(ra) : string.Empty;
                var closed = escalation.ClosedAt is { } c ? $" Closed on {view.Time(c)}." : string.Empty;
                return new(escalation.State == EscalationState.Closed ? "Closed" : "Resolved", tone,
                    $"Resolved{resolvedBy}{resolvedAt}.{closed}", view.Reason(escalation.ResolutionNote));
        }
    }

    private static EscalationCardClock ResponseClock(Escalation escalation, SlaClock clock, DateTimeOffset now, View view)
    {
        var target = Duration(clock.Target);
        if (escalation.AcknowledgedAt is { } acknowledgedAt)
        {
            var when = "acknowledged " + view.Time(acknowledgedAt);
            return clock.IsBreached
                ? new($"missed by {Duration(clock.Elapsed - clock.Target, roundUp: true)} · took {Duration(clock.Elapsed)} of {target}", Breached: true, when)
                : new($"met in {Duration(clock.Elapsed)} of {target}", Breached: false, when);
        }

        var used = $"{Duration(clock.Elapsed)} of {target}";
        var missed = clock.IsBreached ? $" · missed by {Duration(clock.Elapsed - clock.Target, roundUp: true)}" : string.Empty;
        switch (escalation.State)
        {
            case EscalationState.Open:
                var left = clock.IsBreached ? missed : $" · {Duration(clock.Remaining, roundUp: true)} left";
                string? detail = null;
                if (escalation.ResponseDueAt is { } due)
                {
                    detail = due > now
                        ? $"{escalation.Level} must acknowledge by {view.Time(due)}"
                        : $"{escalation.Level}'s deadline passed {view.Time(due)}";
                }

                return new(used + left, clock.IsBreached, detail);
            case EscalationState.OnHold:
                return new($"{used}{missed} · paused (on hold)", clock.IsBreached);
            default:
                return new($"{used}{missed} · stopped (resolved without acknowledgement)", clock.IsBreached);
        }
    }

    private static EscalationCardClock ResolutionClock(Escalation escalation, SlaClock clock, DateTimeOffset now, View view)
    {
        var used = $"{Percent(clock)} used · {Duration(clock.Elapsed)} of {Duration(clock.Target)}";
        var over = clock.IsBreached ? $" · over by {Duration(clock.Elapsed - clock.Target, roundUp: true)}" : string.Empty;
        switch (escalation.State)
        {
            case EscalationState.Open or EscalationState.Acknowledged:
                if (clock.IsBreached)
                {
                    var breachedAt = escalation.ResolutionBreachedAt ?? escalation.ResolutionDueAt(100);
                    return new(used + over, Breached: true, breachedAt is { } b ? "breached " + view.Time(b) : null);
                }

                var left = $" · {Duration(clock.Remaining, roundUp: true)} left";
                var due = escalation.ResolutionDueAt(100);
                var next = Escalation.WarningPercents
                    .Where(p => p < 100)
                    .Select(p => (Percent: p, At: escalation.ResolutionDueAt(p)))
                    .FirstOrDefault(w => w.At > now);
                var detail = next.At is { } warning
                    ? Invariant($"{next.Percent} % at {view.Time(warning)}; due {view.Time(due!.Value)}")
                    : due is { } d ? "due " + view.Time(d) : null;
                return new(used + left, Breached: false, detail);
            case EscalationState.OnHold:
                return new($"{used}{over} · paused (on hold)", clock.IsBreached);
            default:
                return clock.IsBreached
                    ? new($"missed by {Duration(clock.Elapsed - clock.Target, roundUp: true)} · resolved after {Duration(clock.Elapsed)} of {Duration(clock.Target)}", Breached: true)
                    : new($"met · resolved after {Duration(clock.Elapsed)} of {Duration(clock.Target)} ({Percent(clock)})", Breached: false);
        }
    }

    private static (List<EscalationCardEntry> Entries, string? Earlier) Timeline(Escalation escalation, View view)
    {
        var all = escalation.Timeline;
        var lastAssigned = all.LastOrDefault(e => e.Kind == EscalationEventKind.Assigned);
        var entries = new List<EscalationCardEntry>();
        for (var i = all.Count - 1; i >= 0 && entries.Count < view.Limits.Entries; i--)
        {
            var entry = all[i];
            var next = i + 1 < all.Count ? all[i + 1] : null;
            entries.Add(new EscalationCardEntry(
                entry.Actor is { } actor ? view.Name(actor) : "ApprovalBot",
                What(entry, next, ReferenceEquals(entry, lastAssigned) ? escalation.Assignee : null, view, SurveyScore(escalation, i)),
                view.Time(entry.At),
                view.Reason(entry.Reason)));
        }

        var hidden = all.Count - entries.Count;
        return (entries, hidden > 0 ? Invariant($"and {hidden} earlier") : null);
    }

    /// <summary>For a SurveyAnswered entry at <paramref name="index"/>: the score given about that resolution (one more per reopen before it).</summary>
    private static int? SurveyScore(Escalation escalation, int index) =>
        escalation.Timeline[index].Kind == EscalationEventKind.SurveyAnswered
            ? escalation.SurveyAnswerFor(1 + escalation.Timeline.Take(index).Count(e => e.Kind == EscalationEventKind.Reopened))?.Score
            : null;

    /// <summary>What happened, in our words; <paramref name="next"/> tells a level raised by a breach from one raised by a missed acknowledgement.</summary>
    private static string What(TimelineEntry entry, TimelineEntry? next, PersonId? assignee, View view, int? score = null) => entry.Kind switch
    {
        EscalationEventKind.Opened => "opened it",
        EscalationEventKind.Acknowledged => "acknowledged it",
        EscalationEventKind.Assigned => assignee is { } a ? "assigned it to " + view.Name(a) : "assigned it",
        EscalationEventKind.Held => "put it on hold",
        EscalationEventKind.Resumed => "resumed it",
        EscalationEventKind.LevelRaised when entry.Actor is not null => $"escalated it to {entry.Level}",
        EscalationEventKind.LevelRaised when next is { Kind: EscalationEventKind.ResolutionBreached } => $"raised it to {entry.Level}: resolution time breached",
        EscalationEventKind.LevelRaised => $"raised it to {entry.Level}: {entry.Level - 1} did not acknowledge in time",
        EscalationEventKind.ResolutionWarning => Invariant($"warned: {entry.Percent} % of the resolution time used"),
        EscalationEventKind.ResolutionBreached => "recorded the breach: 100 % of the resolution time used",
        EscalationEventKind.ResponseBreached => "recorded the breach: L3 did not acknowledge in time either",
        EscalationEventKind.Resolved => "resolved it",
        EscalationEventKind.Closed => "closed it",
        EscalationEventKind.Reopened => "reopened it",
        EscalationEventKind.SurveyAnswered when score is { } rated => Invariant($"rated the resolution {rated} of {Escalation.MaxSurveyScore} in the satisfaction survey"),
        EscalationEventKind.SurveyAnswered => "answered the satisfaction survey",
        _ => entry.Kind.ToString(),
    };

    /// <summary>Names, times and reasons as this card shows them.</summary>
    private sealed class View(EscalationCardContext context, EscalationCardLimits limits)
    {
        public EscalationCardLimits Limits => limits;

        public string Name(PersonId person)
        {
            var name = context.NameOf(person);
            return Shorten(string.IsNullOrWhiteSpace(name) ? person.Value : name.Trim(), limits.Name);
        }

        public string Time(DateTimeOffset at) => ApprovalCardModel.FormatTime(at, context.TimeZone);

        public string? Reason(string? text) => Optional(text, limits.Reason);
    }
}
