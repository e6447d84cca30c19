using ApprovalBot.Escalations.Cards;
using ApprovalBot.Kpis.Cards;

namespace ApprovalBot.Digests.Cards;

// The data shape of cards/digest.json, built by DigestCardModel. Every string is shown in a TextRun.

/// <summary>Data of the <c>digest</c> template: one person's digest, each section most urgent first and capped.</summary>
/// <param name="Title">"Your digest".</param>
/// <param name="At">"7 Dec 2026 10:00 (Europe/Berlin)".</param>
/// <param name="NothingWaiting">"Nothing is waiting for you: …" when no approval waits and no escalation is active; null otherwise.</param>
/// <param name="Approvals">Waiting approvals, oldest first (no rows: the section is left out).</param>
/// <param name="Escalations">Active escalations, breached then at risk then the rest (no rows: left out).</param>
/// <param name="ProviderUpdates">Provider updates due within a day or overdue, overdue first (no rows: left out).</param>
/// <param name="Kpis">KPIs of the person's agreements (no rows: left out).</param>
/// <param name="Delivery">A subscribed digest's footer (schedule, read receipts, Acknowledge); null for <c>digest now</c>.</param>
public sealed record DigestCardData(
    string Title,
    string At,
    string? NothingWaiting,
    DigestApprovalSection Approvals,
    DigestEscalationSection Escalations,
    DigestProviderUpdateSection ProviderUpdates,
    DigestKpiSection Kpis,
    DigestDeliverySection? Delivery = null);

/// <summary>The provider updates section.</summary>
/// <param name="Title">"Provider updates due (2)".</param>
/// <param name="More">"and 4 more" when not all rows fit.</param>
public sealed record DigestProviderUpdateSection(string Title, IReadOnlyList<DigestProviderUpdateRow> Items, string? More);

/// <summary>One open provider update.</summary>
/// <param name="AgreementName">The agreement, shortened.</param>
/// <param name="Due">"due 7 Dec 2026 09:00 (Europe/Berlin)".</param>
/// <param name="Overdue">Past its due time: shown as "Overdue", else "Due soon".</param>

/// <summary>The approvals section.</summary>
/// <param name="Title">"Approvals waiting (3)".</param>
/// <param name="More">"and 4 more" when not all rows fit.</param>
public sealed record DigestApprovalSection(string Title, IReadOnlyList<DigestApprovalRow> Items, string? More);

/// <summary>One waiting approval request.</summary>
/// <param name="RequestId">What the Open button sends (<c>approval.open</c>).</param>
/// <param name="Reference">"#42".</param>
/// <param name="Title">The title, shortened.</param>
/// <param name="Stage">"Legal · stage 2 of 3".</param>
/// <param name="Age">"waiting 3 h 20 min".</param>
/// <param name="Blocking">"waiting for Megan Bowen, Adele Vance".</param>
/// <param name="Role">"you decide" or "you asked".</param>
/// <param name="Overdue">The stage is past its due time: shown as "Overdue".</param>
public sealed record DigestApprovalRow(long RequestId, string Reference, string Title, string Stage, string Age, string Blocking, string Role, bool Overdue);

/// <summary>The escalations section: the rows are those of the escalation list (<see cref="EscalationListModel"/>).</summary>
/// <param name="Title">"Active escalations (5)".</param>
/// <param name="Levels">"L1: 2 (1 breached) · L2: 1 (1 at risk)": every active escalation counted, shown or not.</param>
/// <param name="More">"and 4 more" when not all rows fit.</param>
public sealed record DigestEscalationSection(string Title, string Levels, IReadOnlyList<EscalationListRow> Items, string? More);

/// <summary>The KPI section: one line per agreement (<see cref="KpiCardModel.Summary"/>).</summary>
/// <param name="Title">"KPIs of your agreements".</param>
/// <param name="Period">"The last 30 days".</param>
/// <param name="More">"and 2 more agreements" when not all lines fit.</param>
public sealed record DigestKpiSection(string Title, string Period, IReadOnlyList<KpiAgreementRow> Items, string? More);

public sealed record DigestProviderUpdateRow(string AgreementName, string Due, bool Overdue);

/// <summary>The footer of a subscribed digest.</summary>
/// <param name="DeliveryId">What Acknowledge sends (<c>digest.ack</c>).</param>
/// <param name="Line">"Daily digest · 08:00 Europe/Berlin" (a channel's: "· for this channel, as Alex Wilber sees it").</param>
/// <param name="Readers">"Acknowledged by Alex Wilber, 8 Dec 08:05" (1:1) or "Read by Megan Bowen (08:05), …" (channel); null: nobody yet.</param>
/// <param name="CanAcknowledge">Shows Acknowledge: a channel digest always (anyone may), a 1:1 digest until acknowledged.</param>
public sealed record DigestDeliverySection(long DeliveryId, string Line, string? Readers, bool CanAcknowledge);
