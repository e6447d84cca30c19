namespace ApprovalBot.Approvals.Cards;

// The data shapes of cards/approval.json and cards/approval-list.json, built by ApprovalCardModel. The renderer
// serialises them with camelCase names, leaves out nulls and writes enums as camelCase strings. Every string is shown
// as plain text (a TextRun) or not shown at all: the templates follow the user-text rule (cards/README.md). Lists are
// never null ($data needs an array).

/// <summary>Data of the <c>approval</c> template: one request as one viewer (or a shared copy) sees it.</summary>
/// <param name="Action">What every button and the refresh send back: the request and the card state shown.</param>
/// <param name="RefreshUserIds">Teams user ids whose clients refresh the card automatically (at most 60; empty for none).</param>
/// <param name="Title">The request's title.</param>
/// <param name="RequesterName">The requester's display name.</param>
/// <param name="SubmittedAt">When the request was submitted, in the reader's time zone.</param>
/// <param name="Status">The status box: a label, a colour and an optional detail (the blocked reason).</param>
/// <param name="Links">Documents to read: a title, opened at an https URL the domain validated.</param>
/// <param name="Decisions">Decisions of the current state, stage by stage (the latest few).</param>
/// <param name="EarlierRevisions">What happened to earlier revisions, oldest first (the latest few).</param>
/// <param name="CanDecide">Show the comment box and the Approve / Reject / Request changes / Delegate… buttons.</param>
/// <param name="CanResubmit">Show the requester's comment box and the Resubmit button.</param>
/// <param name="CommentDraft">Pre-fills the comment box (after an error); empty for none.</param>
/// <param name="SubjectLabel">What is being approved, e.g. "Agreement Contoso help desk · revision 2".</param>
/// <param name="Details">The request's details, shortened for the card.</param>
/// <param name="LinksOmitted">"2 more links are not shown." when the links did not fit.</param>
/// <param name="Stage">The stage in progress or blocked; null once the request left its stages.</param>
/// <param name="EarlierDecisions">"and 5 earlier decisions" when not all decisions fit.</param>
/// <param name="Outcome">The decision that ended the request or sent it back, with its comment.</param>
/// <param name="EarlierRevisionsOmitted">"and 2 earlier revisions" when not all fit.</param>
/// <param name="ViewerStatus">One line for this viewer: "Waiting for Megan Bowen", "You approved this on …".</param>
/// <param name="Error">Shown first, in attention style.</param>
/// <param name="Notice">Shown first, in good style.</param>
public sealed record ApprovalCardData(
    ApprovalActionData Action,
    IReadOnlyList<string> RefreshUserIds,
    string Title,
    string RequesterName,
    string SubmittedAt,
    ApprovalCardStatus Status,
    IReadOnlyList<ApprovalCardLink> Links,
    IReadOnlyList<ApprovalCardDecisionGroup> Decisions,
    IReadOnlyList<ApprovalCardNote> EarlierRevisions,
    bool CanDecide,
    bool CanResubmit,
    string CommentDraft,
    string? SubjectLabel = null,
    string? Details = null,
    string? LinksOmitted = null,
    ApprovalCardStage? Stage = null,
    string? EarlierDecisions = null,
    ApprovalCardNote? Outcome = null,
    string? EarlierRevisionsOmitted = null,
    string? ViewerStatus = null,
    string? Error = null,
    string? Notice = null)
{
    /// <summary>The subject revision's documents (name, size, short hash, signed link), pinned by hash; null for none (left out of the data).</summary>
    public IReadOnlyList<ApprovalCardDocument>? Documents { get; init; }

    /// <summary>"The documents changed in revision 3: …" when they differ from the revision before.</summary>
    public string? DocumentsNote { get; init; }
}

/// <summary>A document of the revision being decided.</summary>
/// <param name="Kind">"Draft" or "Final contract".</param>
/// <param name="Name">The file name (user text).</param>
/// <param name="Size">"1.2 MB".</param>
/// <param name="Hash">The first 12 hex digits of its SHA-256.</param>
/// <param name="Url">A short-lived signed download link (absolute, from the configured public address); null when links are not configured.</param>
public sealed record ApprovalCardDocument(string Kind, string Name, string Size, string Hash, string? Url = null);

/// <summary>The data of every approval card action: the request and the <c>CardState</c> (revision, stage) shown.</summary>
public sealed record ApprovalActionData(long RequestId, int Revision, int Stage);

/// <summary>The status box.</summary>
/// <param name="Label">"In progress", "Approved", "Rejected", "Changes requested", "With the provider" or "Blocked".</param>
/// <param name="Style">The box's colour.</param>
/// <param name="Detail">A sentence under the label: why the request is blocked.</param>
public sealed record ApprovalCardStatus(string Label, ApprovalCardTone Style, string? Detail = null);

/// <summary>Adaptive Card container styles of the same names.</summary>
public enum ApprovalCardTone
{
    Default,
    Accent,
    Good,
    Warning,
    Attention,
}

/// <summary>A link: its title is shown, its URL (https, validated by the domain) opens on a click.</summary>
public sealed record ApprovalCardLink(string Title, string Url);

/// <summary>The stage in progress (or blocked).</summary>
/// <param name="Heading">"Stage 2 of 3: Legal".</param>
/// <param name="Rule">"any one of 2 approvers", "all 3 approvers", "2 of 3 approvers".</param>
/// <param name="Overdue">The due time has passed.</param>
/// <param name="Description">What the stage approves.</param>
/// <param name="Due">The due time in the reader's time zone, with the zone's id; null when the stage has not started.</param>
public sealed record ApprovalCardStage(string Heading, string Rule, bool Overdue, string? Description = null, string? Due = null);

/// <summary>The decisions of one stage.</summary>
public sealed record ApprovalCardDecisionGroup(string Heading, IReadOnlyList<ApprovalCardDecision> Entries);

/// <summary>One decision: "Dan Delegate for Leo Legal" "approved" "Tue 24 Nov 2026, 17:00 (Europe/Berlin)", and the comment.</summary>
public sealed record ApprovalCardDecision(string Who, string What, string At, string? Comment = null);

/// <summary>A sentence and an optional comment (the outcome, or what happened to an earlier revision).</summary>
public sealed record ApprovalCardNote(string Summary, string? Comment = null);

/// <summary>Data of the <c>approval-list</c> template.</summary>
/// <param name="More">"and 5 more" when not all requests are listed.</param>
public sealed record ApprovalListCardData(string Title, IReadOnlyList<ApprovalListCardItem> Items, string? More = null);

/// <summary>One request in the list; its Open button sends <c>{ requestId }</c> with verb <see cref="ApprovalVerbs.Open"/>.</summary>
/// <param name="Stage">"Stage 2 of 3: Legal".</param>
/// <param name="Due">The due time in the reader's time zone, with the zone's id.</param>
public sealed record ApprovalListCardItem(long RequestId, string Title, string Requester, string Stage, string Due, bool Overdue);
