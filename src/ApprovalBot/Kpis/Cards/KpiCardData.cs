namespace ApprovalBot.Kpis.Cards;

// The data shape of cards/kpi.json, built by KpiCardModel. Every string is shown in a TextRun.

/// <summary>Data of the <c>kpi</c> template: one report's figures, and for all agreements a line per agreement.</summary>
/// <param name="Title">"KPIs · Contoso help desk".</param>
/// <param name="Period">"The last 7 days · 30 Nov 2026 10:00 – 7 Dec 2026 10:00 (Europe/Berlin)".</param>
/// <param name="Figures">Each figure with its counts and what it leaves out.</param>
/// <param name="Agreements">For all agreements: one line each; empty otherwise.</param>
/// <param name="More">"and 4 more agreements: see the API" when not all lines fit.</param>
/// <param name="Footnote">How times and percentiles are counted.</param>
public sealed record KpiCardData(string Title, string Period, IReadOnlyList<KpiFigureRow> Figures, IReadOnlyList<KpiAgreementRow> Agreements, string? More, string Footnote);

/// <summary>One figure.</summary>
/// <param name="Name">"Time to acknowledge".</param>
/// <param name="Value">"median 45m", "80.0 %", "not measured yet".</param>
/// <param name="Measured">False shows the value subdued (not measured, or nothing to measure).</param>
/// <param name="Detail">"p90 2h · mean 1h 5m · 4 counted, 1 excluded".</param>
/// <param name="Note">The exclusions, in small text.</param>
public sealed record KpiFigureRow(string Name, string Value, bool Measured, string Detail, string Note);

/// <summary>One agreement in the all-agreements card: its name and "5 opened · response 80.0 % · resolution 60.0 %".</summary>
public sealed record KpiAgreementRow(string Name, string Summary);
