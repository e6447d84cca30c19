namespace ApprovalBot.Escalations.Cards;

// The data shape of cards/escalation.json, built by EscalationCardModel. The renderer serialises it with camelCase
// names, leaves out nulls and writes enums as camelCase strings. Every string is shown as plain text (a TextRun) or
// not shown at all: the template follows the user-text rule (cards/README.md). Lists are never null ($data needs an
// array).

/// <summary>Data of the <c>escalation</c> template: one escalation as one viewer (or a shared copy) sees it.</summary>
/// <param name="Action">What every button and the refresh send back: the escalation and the version shown.</param>
/// <param name="RefreshUserIds">Teams user ids whose clients refresh the card automatically (at most 60; empty for none).</param>
/// <param name="Reference">"E-42".</param>
/// <param name="Title">The escalation's title.</param>
/// <param name="AgreementName">The agreement it was opened against (as snapshotted in its policy).</param>
/// <param name="Priority">"P2".</param>
/// <param name="Level">"L1 · First-line support": the current level and its description.</param>
/// <param name="Contacts">Who is responsible at the current level: "Leo Lang", "the L1 channel", "Mia and the L3 channel".</param>
/// <param name="Status">The state box: a label, a colour and what it means now.</param>
/// <param name="ReporterName">Who reported it.</param>
/// <param name="OpenedAt">When it was opened, in the reader's time zone.</param>
/// <param name="Response">The response clock.</param>
/// <param name="Resolution">The resolution clock.</param>
/// <param name="Timeline">The latest entries, newest first.</param>
/// <param name="CanAcknowledge">Show Acknowledge.</param>
/// <param name="CanResolve">Show Resolve… (with the note box).</param>
/// <param name="CanEscalate">Show Escalate (with the reason box).</param>
/// <param name="CanHold">Show Put on hold (with the reason box).</param>
/// <param name="CanResume">Show Resume.</param>
/// <param name="AssigneeName">Who works on it; null when nobody is assigned.</param>
/// <param name="Description">The description, shortened for the card.</param>
/// <param name="EarlierEntries">"and 5 earlier" when not all timeline entries fit.</param>
/// <param name="ViewerStatus">One line for a viewer who may not act: who can.</param>
/// <param name="Headline">Why the card was sent, e.g. "Raised to L2: not acknowledged within 1 h".</param>
/// <param name="Error">Shown first, in attention style.</param>
/// <param name="Notice">Shown first, in good style.</param>
public sealed record EscalationCardData(
    EscalationActionData Action,
    IReadOnlyList<string> RefreshUserIds,
    string Reference,
    string Title,
    string AgreementName,
    string Priority,
    string Level,
    string Contacts,
    EscalationCardStatus Status,
    string ReporterName,
    string OpenedAt,
    EscalationCardClock Response,
    EscalationCardClock Resolution,
    IReadOnlyList<EscalationCardEntry> Timeline,
    bool CanAcknowledge,
    bool CanResolve,
    bool CanEscalate,
    bool CanHold,
    bool CanResume,
    string? AssigneeName = null,
    string? Description = null,
    string? EarlierEntries = null,
    string? ViewerStatus = null,
    string? Headline = null,
    string? Error = null,
    string? Notice = null);

/// <summary>The data of every escalation card action: <c>{ escalationId, version }</c>.</summary>
/// <param name="EscalationId">The escalation.</param>
/// <param name="Version">The escalation's <c>Version</c> when the card was built.</param>
public sealed record EscalationActionData(long EscalationId, long Version);

/// <summary>The state box.</summary>
/// <param name="Label">"Open", "Acknowledged", "On hold", "Resolved" or "Closed".</param>
/// <param name="Style">The box's colour.</param>
/// <param name="Detail">A sentence under the label: who acknowledged, since when it is on hold, who resolved it.</param>
/// <param name="Note">What a person wrote about it: the hold reason or the resolution note.</param>
public sealed record EscalationCardStatus(string Label, EscalationCardTone Style, string? Detail = null, string? Note = null);

/// <summary>Adaptive Card container styles of the same names.</summary>
public enum EscalationCardTone
{
    Default,
    Accent,
    Good,
    Warning,
    Attention,
}

/// <summary>One SLA clock in words.</summary>
/// <param name="Summary">"20 min of 1 h used · 40 min left", "met in 20 min", "missed by 5 min", "50 % used · paused (on hold)".</param>
/// <param name="Breached">The target is used up: the summary is shown in attention colour.</param>
/// <param name="Detail">The next time that matters, in the reader's time zone: "L2 must acknowledge by …", "75 % at …; due …".</param>
public sealed record EscalationCardClock(string Summary, bool Breached, string? Detail = null);

/// <summary>One timeline entry: "Lou Lee" "put it on hold" "Mon 5 Jan 2026, 10:00 (Europe/Berlin)", and what they wrote.</summary>
public sealed record EscalationCardEntry(string Who, string What, string At, string? Reason = null);
