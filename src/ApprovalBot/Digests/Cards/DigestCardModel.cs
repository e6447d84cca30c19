using System.Globalization;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Escalations.Cards;
using ApprovalBot.Kpis.Cards;

namespace ApprovalBot.Digests.Cards;

/// <summary>
/// Builds <see cref="DigestCardData"/> from a <see cref="Digest"/>: approvals oldest stage first; escalations most
/// urgent first (breached, then at risk, then the rest: the order and the standing of <see cref="EscalationListModel"/>);
/// provider updates overdue first (as gathered); KPIs by agreement name. Each section shows at most <c>maxRows</c> rows and counts the rest in "and N more".
/// </summary>
public static class DigestCardModel
{
    /// <summary>Most rows per section: <see cref="DigestCards"/> halves it should the card still be over budget.</summary>
    public const int MaxRows = 10;

    private const int TitleLength = 120;
    private const int NameLength = 60;
    private const int MaxBlockingNames = 3;

    public static DigestCardData Build(Digest digest, TimeZoneInfo zone, int maxRows = MaxRows)
    {
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRows);
        var now = digest.At;

        var approvals = digest.Approvals.OrderByDescending(a => a.Age).ThenBy(a => a.Request.Id).Take(maxRows).Select(a => ApprovalRow(a, now)).ToList();
        var escalations = EscalationListModel.Build(string.Empty, EscalationListModel.MostUrgentFirst(digest.Escalations, now), now, maxRows);
        var updates = digest.ProviderUpdates.Take(maxRows)
            .Select(u => new DigestProviderUpdateRow(ApprovalCardModel.Shorten(u.AgreementName, NameLength), "due " + ApprovalCardModel.FormatTime(u.Obligation.DueAt, zone), u.Obligation.DueAt <= now))
            .ToList();
        var kpis = digest.Kpis.Agreements.Take(maxRows).Select(r => new KpiAgreementRow(ApprovalCardModel.Shorten(r.Scope, NameLength), KpiCardModel.Summary(r))).ToList();

        return new DigestCardData(
            "Your digest",
            $"{TimeZoneInfo.ConvertTime(now, zone).ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture)} ({zone.Id})",
            digest.NothingWaiting ? "Nothing is waiting for you: no approval request waits for a decision and no escalation of yours is active." : null,
            new DigestApprovalSection(Invariant($"Approvals waiting ({digest.Approvals.Count})"), approvals, More(digest.Approvals.Count - approvals.Count, "")),
            new DigestEscalationSection(Invariant($"Active escalations ({digest.Escalations.Count})"), Levels(digest.Escalations, now), escalations.Items, escalations.More),
            new DigestProviderUpdateSection(Invariant($"Provider updates due ({digest.ProviderUpdates.Count})"), updates, More(digest.ProviderUpdates.Count - updates.Count, "")),
            new DigestKpiSection("KPIs of your agreements", digest.Kpis.Period is { } period ? Capitalised(period.Label) : string.Empty, kpis,
                More(digest.Kpis.Agreements.Count - kpis.Count, " agreements: kpi all lists them")));
    }

    /// <summary>"L1: 2 (1 breached) · L3: 1 (1 at risk)": every escalation counted by level and standing, lowest level first.</summary>
    public static string Levels(IReadOnlyList<Escalation> escalations, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(escalations);
        return string.Join(" · ", escalations
            .GroupBy(e => e.Level)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var standings = g.Select(e => EscalationListModel.Standing(e, now)).ToList();
                var parts = new List<string>();
                var breached = standings.Count(s => s == SlaStanding.Breached);
                var atRisk = standings.Count(s => s == SlaStanding.AtRisk);
                if (breached > 0) parts.Add(Invariant($"{breached} breached"));
                if (atRisk > 0) parts.Add(Invariant($"{atRisk} at risk"));
                return Invariant($"{g.Key}: {g.Count()}") + (parts.Count > 0 ? $" ({string.Join(", ", parts)})" : string.Empty);
            }));
    }

    private static DigestApprovalRow ApprovalRow(DigestApproval approval, DateTimeOffset now)
    {
        var request = approval.Request;
        var stage = request.CurrentStage!;
        var names = approval.Blocking.Take(MaxBlockingNames).Select(n => ApprovalCardModel.Shorten(n, NameLength)).ToList();
        var others = approval.Blocking.Count - names.Count;
        var blocking = names.Count == 0 ? "waiting for nobody" : "waiting for " + string.Join(", ", names) + (others > 0 ? Invariant($" and {others} more") : string.Empty);
        return new DigestApprovalRow(
            request.Id,
            Invariant($"#{request.Id}"),
            ApprovalCardModel.Shorten(request.Title, TitleLength),
            ApprovalCardModel.Shorten(stage.StageName, NameLength) + Invariant($" · stage {request.CurrentStageNumber} of {request.Stages.Count}"),
            "waiting " + EscalationCardModel.Duration(approval.Age),
            blocking,
            approval.Role == DigestRole.Approver ? "you decide" : "you asked",
            request.IsOverdue(now));
    }

    private static string? More(int rest, string what) => rest > 0 ? Invariant($"and {rest} more{what}") : null;

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
