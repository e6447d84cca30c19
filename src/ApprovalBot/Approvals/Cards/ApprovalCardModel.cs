using System.Globalization;
using System.Text.Json;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Approvals.Cards;

/// <summary>What an approval card is built from: the request, whose copy it is, and how to show names and times.</summary>
/// <param name="Request">The request as it is now.</param>
/// <param name="Viewer">Whose copy this is; null for a shared copy (a channel post): status only, no inputs.</param>
/// <param name="NameOf">The display name of a person id.</param>
/// <param name="TimeZone">The reader's time zone; due and decision times are shown in it, with its id.</param>
/// <param name="Now">The current time (from the TimeProvider): decides "overdue".</param>
/// <param name="RefreshUserIds">Teams user ids of the people who can decide now; the model keeps at most 60.</param>
/// <param name="SubjectLabel">What is approved, e.g. "Agreement Contoso help desk · revision 2".</param>
/// <param name="Error">Shown at the top in attention style.</param>
/// <param name="Notice">Shown at the top in good style.</param>
/// <param name="CommentDraft">Pre-fills the comment box after an error.</param>
public sealed record ApprovalCardContext(
    ApprovalRequest Request,
    PersonId? Viewer,
    Func<PersonId, string> NameOf,
    TimeZoneInfo TimeZone,
    DateTimeOffset Now,
    IReadOnlyList<string> RefreshUserIds,
    string? SubjectLabel = null,
    string? Error = null,
    string? Notice = null,
    string? CommentDraft = null)
{
    /// <summary>The documents of the subject revision being decided (none for other subjects).</summary>
    public IReadOnlyList<ApprovalCardDocument> Documents { get; init; } = [];

    /// <summary>Said above the documents when they changed since the revision before.</summary>
    public string? DocumentsNote { get; init; }
}

/// <summary>One line of the approvals list.</summary>
public sealed record ApprovalListItem(
    long RequestId,
    string Title,
    string StageName,
    int StageNumber,
    int StageCount,
    DateTimeOffset DueAt,
    bool Overdue,
    string RequesterName);

/// <summary>
/// How much of each unbounded part a card shows. <see cref="Standard"/> is what a card normally shows (comments cut
/// at 300 characters, the latest 12 decisions); when the estimated card would exceed the renderer's budget (60 long
/// Teams ids, ten stages, 2 000-character comments, text of many bytes per character) the model takes the next level.
/// </summary>
internal sealed record ApprovalCardLimits(int Details, int Comment, int Decisions, int Revisions, int LinkChars, int Name, int WaitingNames, int Text, int Draft)
{
    public static readonly ApprovalCardLimits Standard = new(Details: 1000, Comment: 300, Decisions: 12, Revisions: 3, LinkChars: 1500, Name: 48, WaitingNames: 8, Text: 200, Draft: ApprovalRequest.MaxCommentLength);

    public static readonly ApprovalCardLimits Reduced = new(Details: 600, Comment: 200, Decisions: 10, Revisions: 2, LinkChars: 1000, Name: 48, WaitingNames: 6, Text: 200, Draft: ApprovalRequest.MaxCommentLength);

    public static readonly ApprovalCardLimits Compact = new(Details: 400, Comment: 120, Decisions: 6, Revisions: 1, LinkChars: 600, Name: 40, WaitingNames: 4, Text: 160, Draft: ApprovalRequest.MaxCommentLength);

    public static readonly ApprovalCardLimits Minimal = new(Details: 150, Comment: 60, Decisions: 3, Revisions: 1, LinkChars: 300, Name: 30, WaitingNames: 2, Text: 120, Draft: 600);

    /// <summary>The levels, most generous first.</summary>
    public static readonly IReadOnlyList<ApprovalCardLimits> Levels = [Standard, Reduced, Compact, Minimal];
}

/// <summary>
/// Builds the data of the approval card and the approvals list from the domain. Pure: no I/O, no clock (the context
/// brings <c>Now</c>). Decides per viewer what the card offers: the decision buttons only to a person who holds an
/// undecided seat of the current stage (<see cref="ApprovalRequest.CanDecide"/>), otherwise one line of status.
/// </summary>
public static class ApprovalCardModel
{
    /// <summary>Teams refreshes a card automatically for at most 60 user ids (bot-protocol.md §1.8).</summary>
    public const int MaxRefreshUserIds = 60;

    /// <summary>Requests listed on one list card; the rest are counted in "and N more".</summary>
    public const int MaxListItems = 20;

    private const string DateFormat = "ddd d MMM yyyy, HH:mm";
    private const int TitleLength = ApprovalRequest.MaxTitleLength;

    /// <summary>Bytes the model aims to stay under: the renderer's budget less a margin.</summary>
    internal const int TargetBytes = CardRenderer.DefaultMaxCardBytes - 512;

    // Upper bounds of the template's JSON around the data (measured on cards/approval.json; a test keeps them honest).
    private const int FixedOverheadBytes = 3500;
    private const int DecisionOverheadBytes = 160;
    private const int GroupOverheadBytes = 150;
    private const int NoteOverheadBytes = 130;
    private const int LinkOverheadBytes = 200;
    private const int DocumentOverheadBytes = 450;

    /// <summary>Documents shown on one card (a revision has at most one per kind).</summary>
    internal const int MaxDocuments = 4;

    /// <summary>
    /// The card's data, with the most generous caps under which the card stays within the renderer's size budget:
    /// comments cut at 300 characters and the latest 12 decisions normally, fewer and shorter when the content is
    /// large (see <see cref="ApprovalCardLimits"/>).
    /// </summary>
    public static ApprovalCardData Build(ApprovalCardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ApprovalCardData? data = null;
        foreach (var limits in ApprovalCardLimits.Levels)
        {
            data = Build(context, limits);
            if (EstimateBytes(data) <= TargetBytes) break;
        }

        return data!;
    }

    /// <summary>An upper bound of the rendered card's size: the data's JSON plus the template around it.</summary>
    internal static int EstimateBytes(ApprovalCardData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var bound = CardText.NeutraliseStrings(JsonSerializer.SerializeToNode(data, CardRenderer.DataJsonOptions)); // as the renderer binds it
        return CardRenderer.MeasureBytes(bound!)
            + FixedOverheadBytes
            + (data.Decisions.Sum(g => g.Entries.Count) * DecisionOverheadBytes)
            + (data.Decisions.Count * GroupOverheadBytes)
            + ((data.EarlierRevisions.Count + (data.Outcome is null ? 0 : 1)) * NoteOverheadBytes)
            + (data.Links.Count * LinkOverheadBytes)
            + ((data.Documents?.Count ?? 0) * DocumentOverheadBytes);
    }

    internal static ApprovalCardData Build(ApprovalCardContext context, ApprovalCardLimits limits)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(limits);
        var request = context.Request;
        var view = new View(context, limits);
        var viewer = context.Viewer;
        var canDecide = viewer is { } v && request.CanDecide(v);
        var canResubmit = viewer is { } r && r == request.Requester
            && request.Status == ApprovalStatus.ChangesRequested
            && request.Subject.Kind == ApprovalSubjectKind.Other;
        var standing = StandingRuns(request);
        var (decisions, earlierDecisions) = Decisions(request, standing, view);
        var (revisions, earlierRevisions) = EarlierRevisions(request, view);
        var (links, linksOmitted) = Links(request, view);

        return new ApprovalCardData(
            Action: new ApprovalActionData(request.Id, request.CurrentCard.Revision, request.CurrentCard.StageNumber),
            RefreshUserIds: [.. context.RefreshUserIds.Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).Take(MaxRefreshUserIds)],
            Title: Shorten(request.Title, TitleLength),
            RequesterName: view.Name(request.Requester),
            SubmittedAt: view.Time(request.SubmittedAt),
            Status: Status(request, view),
            Links: links,
            Decisions: decisions,
            EarlierRevisions: revisions,
            CanDecide: canDecide,
            CanResubmit: canResubmit,
            CommentDraft: canDecide || canResubmit ? Shorten(context.CommentDraft ?? string.Empty, limits.Draft) : string.Empty,
            SubjectLabel: Optional(context.SubjectLabel, TitleLength),
            Details: Optional(request.Details, limits.Details),
            LinksOmitted: linksOmitted,
            Stage: Stage(request, context.Now, view),
            EarlierDecisions: earlierDecisions,
            Outcome: Outcome(request, view),
            EarlierRevisionsOmitted: earlierRevisions,
            ViewerStatus: ViewerStatus(request, viewer, canDecide, standing, view),
            Error: Optional(context.Error, limits.Text),
            Notice: Optional(context.Notice, limits.Text))
        {
            Documents = context.Documents.Count == 0 ? null : [.. context.Documents.Take(MaxDocuments).Select(d => d with { Name = Shorten(d.Name, limits.Name * 2) })],
            DocumentsNote = Optional(context.DocumentsNote, limits.Text),
        };
    }

    /// <summary>The list card's data: at most <see cref="MaxListItems"/> requests, the rest added to <paramref name="more"/>.</summary>
    internal static ApprovalListCardData BuildList(string title, IReadOnlyList<ApprovalListItem> items, int more, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(timeZone);
        ArgumentOutOfRangeException.ThrowIfNegative(more);
        var shown = items.Take(MaxListItems).Select(i => new ApprovalListCardItem(
            i.RequestId,
            Shorten(i.Title, TitleLength),
            Shorten(i.RequesterName, ApprovalCardLimits.Standard.Name),
            Shorten($"Stage {i.StageNumber} of {i.StageCount}: {i.StageName}", 150),
            FormatTime(i.DueAt, timeZone),
            i.Overdue)).ToList();
        var hidden = more + Math.Max(0, items.Count - MaxListItems);
        return new ApprovalListCardData(
            Shorten(string.IsNullOrWhiteSpace(title) ? "Approvals" : title.Trim(), TitleLength),
            shown,
            hidden > 0 ? $"and {hidden} more" : null);
    }

    /// <summary>"Tue 24 Nov 2026, 17:00 (Europe/Berlin)": the instant in <paramref name="timeZone"/>, invariant culture.</summary>
    internal static string FormatTime(DateTimeOffset at, TimeZoneInfo timeZone) =>
        TimeZoneInfo.ConvertTime(at, timeZone).ToString(DateFormat, CultureInfo.InvariantCulture) + " (" + timeZone.Id + ")";

    /// <summary>At most <paramref name="max"/> characters: longer text is cut (never inside a surrogate pair) and ends in "…".</summary>
    internal static string Shorten(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= max) return text;
        var cut = max - 1;
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1])) cut--;
        return text[..cut].TrimEnd() + "…";
    }

    /// <summary>"A", "A and B", "A, B and C".</summary>
    internal static string JoinNames(IReadOnlyList<string> names) => names.Count switch
    {
        0 => string.Empty,
        1 => names[0],
        _ => string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1],
    };

    private static string? Optional(string? text, int max) => string.IsNullOrWhiteSpace(text) ? null : Shorten(text.Trim(), max);

    /// <summary>
    /// The latest run of each stage up to the current one: the decisions that stand. A resubmission restarts at the
    /// stage that asked for changes, so earlier stages' runs (of earlier revisions) still count.
    /// </summary>
    private static List<StageRun> StandingRuns(ApprovalRequest request) =>
        [.. request.StageRuns
            .Where(r => r.StageNumber <= request.CurrentStageNumber)
            .GroupBy(r => r.StageNumber)
            .Select(g => g.Last())
            .OrderBy(r => r.StageNumber)];

    private static ApprovalCardStatus Status(ApprovalRequest request, View view) => request.Status switch
    {
        ApprovalStatus.InProgress => new("In progress", ApprovalCardTone.Accent),
        ApprovalStatus.Approved => new("Approved", ApprovalCardTone.Good),
        ApprovalStatus.Rejected => new("Rejected", ApprovalCardTone.Attention),
        ApprovalStatus.ChangesRequested => new("Changes requested", ApprovalCardTone.Warning),
        ApprovalStatus.AwaitingProvider => new("With the provider", ApprovalCardTone.Warning, Shorten(
            $"Stage {request.CurrentStageNumber} ({request.Stages[request.CurrentStageNumber - 1].Name}) approved revision {request.Subject.Revision}; it waits for the provider to accept it or ask for changes before stage {request.CurrentStageNumber + 1} starts.", view.Limits.Text)),
        _ => new("Blocked", ApprovalCardTone.Attention, Shorten(
            $"Stage {request.CurrentStageNumber} cannot start: {request.BlockedReason ?? "its approvers could not be found"}.", view.Limits.Text)),
    };

    private static ApprovalCardStage? Stage(ApprovalRequest request, DateTimeOffset now, View view)
    {
        if (request.Status is not (ApprovalStatus.InProgress or ApprovalStatus.Blocked)) return null;
        var definition = request.Stages[request.CurrentStageNumber - 1];
        var heading = Shorten($"Stage {request.CurrentStageNumber} of {request.Stages.Count}: {definition.Name}", 150);
        var description = Optional(definition.Description, view.Limits.Text);
        if (request.CurrentStage is not { } run)
            return new ApprovalCardStage(heading, RuleInWords(definition.Decision, null), Overdue: false, description);
        return new ApprovalCardStage(heading, RuleInWords(run.Rule, run.Seats.Count), request.IsOverdue(now), description, view.Time(run.DueAt));
    }

    /// <summary>"any one of 2 approvers", "all 3 approvers", "2 of 3 approvers"; without a count before the stage starts.</summary>
    internal static string RuleInWords(DecisionRule rule, int? approvers)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return (rule.Kind, approvers) switch
        {
            (_, 1) => "the one approver",
            (DecisionRuleKind.Any, { } n) => $"any one of {n} approvers",
            (DecisionRuleKind.All, { } n) => $"all {n} approvers",
            (_, { } n) => $"{rule.Required} of {n} approvers",
            (DecisionRuleKind.Any, null) => "any one approver",
            (DecisionRuleKind.All, null) => "every approver",
            _ => $"{rule.Required} approvers",
        };
    }

    private static (List<ApprovalCardLink> Links, string? Omitted) Links(ApprovalRequest request, View view)
    {
        var links = new List<ApprovalCardLink>();
        var used = 0;
        foreach (var link in request.Links)
        {
            var title = Shorten(link.Title, 100);
            if (links.Count > 0 && used + title.Length + link.Url.Length > view.Limits.LinkChars) break; // the first link always fits
            used += title.Length + link.Url.Length;
            links.Add(new ApprovalCardLink(title, link.Url));
        }

        var omitted = request.Links.Count - links.Count;
        return (links, omitted switch
        {
            0 => null,
            1 => "1 more link is not shown.",
            _ => $"{omitted} more links are not shown.",
        });
    }

    private static (List<ApprovalCardDecisionGroup> Groups, string? Earlier) Decisions(ApprovalRequest request, List<StageRun> standing, View view)
    {
        var all = standing
            .SelectMany(run => DecisionEntries(request, run).Select(e => (Run: run, Entry: e)))
            .ToList();
        var shown = all.Skip(Math.Max(0, all.Count - view.Limits.Decisions)).ToList();
        var groups = shown
            .GroupBy(x => x.Run)
            .Select(g => new ApprovalCardDecisionGroup(
                Shorten($"Stage {g.Key.StageNumber} of {request.Stages.Count}: {g.Key.StageName}", 150),
                [.. g.Select(x => Decision(x.Entry, view))]))
            .ToList();
        var earlier = all.Count - shown.Count;
        return (groups, earlier switch
        {
            0 => null,
            1 => "and 1 earlier decision",
            _ => $"and {earlier} earlier decisions",
        });
    }

    /// <summary>The accepted decisions and delegations (by hand or for an approver out of office) of one stage run, in order.</summary>
    private static IEnumerable<AuditEntry> DecisionEntries(ApprovalRequest request, StageRun run) =>
        request.AuditTrail.Where(e =>
            e.Outcome == AuditOutcome.Accepted
            && (e.Action is AuditAction.Approve or AuditAction.Reject or AuditAction.RequestChanges or AuditAction.Delegate
                || e is { Action: AuditAction.OutOfOffice, DelegateTo: not null })
            && e.Revision == run.Revision
            && e.StageNumber == run.StageNumber);

    private static ApprovalCardDecision Decision(AuditEntry entry, View view)
    {
        if (entry is { Action: AuditAction.OutOfOffice, OnBehalfOf: { } away, DelegateTo: { } standIn })
            return new ApprovalCardDecision(view.Name(away), "is out of office: delegated automatically to " + view.Name(standIn), view.Time(entry.At), null);
        var who = entry.Actor is { } actor ? view.Name(actor) : "The system";
        if (entry.OnBehalfOf is { } principal) who += " for " + view.Name(principal);
        var what = entry.Action switch
        {
            AuditAction.Approve => "approved",
            AuditAction.Reject => "rejected",
            AuditAction.RequestChanges => "requested changes",
            _ => entry.DelegateTo is { } to ? "delegated to " + view.Name(to) : "delegated",
        };
        return new ApprovalCardDecision(who, what, view.Time(entry.At), view.Comment(entry.Comment));
    }

    private static ApprovalCardNote? Outcome(ApprovalRequest request, View view)
    {
        if (request.Outcome is not { } outcome) return null;
        var who = view.Name(outcome.DecidedBy) + (outcome.OnBehalfOf is { } principal ? " for " + view.Name(principal) : string.Empty);
        var stage = request.Stages[outcome.StageNumber - 1].Name;
        var summary = outcome.Decision switch
        {
            DecisionKind.Approve => $"Approved by {who} on {view.Time(outcome.At)}.",
            DecisionKind.Reject => $"Rejected by {who} at stage {outcome.StageNumber} ({stage}) on {view.Time(outcome.At)}.",
            _ => $"Changes requested by {who} at stage {outcome.StageNumber} ({stage}) on {view.Time(outcome.At)}.",
        };
        return new ApprovalCardNote(summary, view.Comment(outcome.Comment));
    }

    /// <summary>
    /// For each earlier revision, oldest first: who asked for changes, and the requester's answer (the resubmission
    /// that made the next revision). Only the latest <see cref="ApprovalCardLimits.Revisions"/> revisions.
    /// </summary>
    private static (List<ApprovalCardNote> Notes, string? Earlier) EarlierRevisions(ApprovalRequest request, View view)
    {
        var first = Math.Max(1, request.Revision - view.Limits.Revisions);
        var notes = new List<ApprovalCardNote>();
        for (var revision = first; revision < request.Revision; revision++)
        {
            var run = request.StageRuns.LastOrDefault(r => r.Revision == revision && r.Status == StageRunStatus.ChangesRequested);
            if (run is not null)
            {
                var seat = run.Seats.FirstOrDefault(s => s.Decision == DecisionKind.RequestChanges);
                var who = seat?.DecidedBy is { } by
                    ? view.Name(by) + (by != seat.Owner ? " for " + view.Name(seat.Owner) : string.Empty)
                    : "an approver";
                var when = run.CompletedAt is { } at ? " on " + view.Time(at) : string.Empty;
                notes.Add(new ApprovalCardNote(
                    $"Revision {revision}: changes requested by {who} at stage {run.StageNumber} ({run.StageName}){when}.",
                    view.Comment(seat?.Comment)));
            }

            var resubmitted = request.AuditTrail.LastOrDefault(e =>
                e.Action == AuditAction.Resubmitted && e.Outcome == AuditOutcome.Accepted && e.Revision == revision + 1);
            if (resubmitted is not null)
            {
                var who = resubmitted.Actor is { } actor ? view.Name(actor) : "the requester";
                notes.Add(new ApprovalCardNote(
                    $"Revision {revision + 1}: resubmitted by {who} on {view.Time(resubmitted.At)}.",
                    view.Comment(resubmitted.Comment)));
            }
        }

        var hidden = first - 1;
        return (notes, hidden switch
        {
            0 => null,
            1 => "and 1 earlier revision",
            _ => $"and {hidden} earlier revisions",
        });
    }

    private static string? ViewerStatus(ApprovalRequest request, PersonId? viewer, bool canDecide, List<StageRun> standing, View view)
    {
        var waiting = request.WaitingFor;
        var waitingLine = waiting.Count > 0 ? "Waiting for " + view.Names(waiting) + "." : null;
        if (viewer is not { } me) return waitingLine;
        if (canDecide)
        {
            var others = waiting.Where(p => p != me).ToList();
            return others.Count switch
            {
                0 => "Waiting for your decision.",
                1 => $"Waiting for you and {view.Names(others)}.",
                _ => $"Waiting for you, {view.Names(others)}.",
            };
        }

        var stillWaiting = waitingLine is null ? string.Empty : " " + waitingLine;
        var decided = standing
            .SelectMany(r => r.Seats)
            .Where(s => s.DecidedBy == me && s.DecidedAt is not null)
            .MaxBy(s => s.DecidedAt);
        if (decided is not null)
        {
            var what = decided.Decision switch
            {
                DecisionKind.Approve => "approved this",
                DecisionKind.Reject => "rejected this",
                _ => "requested changes",
            };
            var behalf = decided.Owner != me ? " for " + view.Name(decided.Owner) : string.Empty;
            return $"You {what}{behalf} on {view.Time(decided.DecidedAt!.Value)}.{stillWaiting}";
        }

        var delegated = standing
            .SelectMany(run => DecisionEntries(request, run))
            .LastOrDefault(e => e.Action == AuditAction.Delegate && e.Actor == me && e.DelegateTo is not null);
        if (delegated is not null)
            return $"You delegated this to {view.Name(delegated.DelegateTo!.Value)} on {view.Time(delegated.At)}.{stillWaiting}";
        var away = standing
            .SelectMany(run => DecisionEntries(request, run))
            .LastOrDefault(e => e.Action == AuditAction.OutOfOffice && e.OnBehalfOf == me);
        if (away is not null)
            return $"You were out of office when this stage started, so {view.Name(away.DelegateTo!.Value)} decides for you.{stillWaiting}";

        if (me == request.Requester && request.Status == ApprovalStatus.ChangesRequested)
        {
            return request.Subject.Kind == ApprovalSubjectKind.Other
                ? "Make the changes, then resubmit below with a note on what changed."
                : "Revise the agreement and submit it again.";
        }

        return waitingLine;
    }

    /// <summary>Names, times and comments as this card shows them.</summary>
    private sealed class View(ApprovalCardContext context, ApprovalCardLimits limits)
    {
        public ApprovalCardLimits Limits => limits;

        public string Name(PersonId person)
        {
            var name = context.NameOf(person);
            return Shorten(string.IsNullOrWhiteSpace(name) ? person.Value : name.Trim(), limits.Name);
        }

        /// <summary>At most <see cref="ApprovalCardLimits.WaitingNames"/> names, then "N others".</summary>
        public string Names(IReadOnlyList<PersonId> people)
        {
            var names = people.Take(limits.WaitingNames).Select(Name).ToList();
            var others = people.Count - names.Count;
            if (others > 0) names.Add(others == 1 ? "1 other" : $"{others} others");
            return JoinNames(names);
        }

        public string Time(DateTimeOffset at) => FormatTime(at, context.TimeZone);

        public string? Comment(string? comment) => Optional(comment, limits.Comment);
    }
}
