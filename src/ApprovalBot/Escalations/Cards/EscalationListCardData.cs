namespace ApprovalBot.Escalations.Cards;

// The data shape of cards/escalation-list.json, built by EscalationListModel. Every string is shown in a TextRun.

/// <summary>Data of the <c>escalation-list</c> template: escalations, most urgent first, each with an Open button.</summary>
/// <param name="Title">"Open escalations (3)".</param>
/// <param name="Items">The rows shown.</param>
/// <param name="More">"and 12 more" when not all rows fit.</param>
public sealed record EscalationListCardData(string Title, IReadOnlyList<EscalationListRow> Items, string? More = null);

/// <summary>One escalation in a list.</summary>
/// <param name="EscalationId">What the Open button sends (<see cref="EscalationVerbs.Open"/>).</param>
/// <param name="Reference">"E-42".</param>
/// <param name="Priority">"P2".</param>
/// <param name="Title">The title, shortened.</param>
/// <param name="AgreementName">The agreement, shortened.</param>
/// <param name="Level">"L2".</param>
/// <param name="State">"Open", "Acknowledged" or "On hold".</param>
/// <param name="Remaining">The resolution time in words: "3 h 20 min left", "over by 1 h", "2 h left · paused (on hold)".</param>
/// <param name="Breached">A response or resolution target is missed: shown as "Breached".</param>
/// <param name="AtRisk">Not breached, but 75 % or more of a target is used: shown as "At risk". Neither: "On track".</param>
public sealed record EscalationListRow(
    long EscalationId,
    string Reference,
    string Priority,
    string Title,
    string AgreementName,
    string Level,
    string State,
    string Remaining,
    bool Breached,
    bool AtRisk);
