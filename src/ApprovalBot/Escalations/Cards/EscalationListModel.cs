using System.Globalization;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Escalations;

namespace ApprovalBot.Escalations.Cards;

/// <summary>How an escalation stands against its targets, for lists and filters.</summary>
public enum SlaStanding
{
    OnTrack,

    /// <summary>75 % or more of the resolution time (or, while nobody acknowledged, of the response time) is used.</summary>
    AtRisk,

    /// <summary>The response or the resolution target is missed.</summary>
    Breached,
}

/// <summary>
/// Builds the escalation list: the SLA standing of each escalation, the order (breached, then at risk, then the
/// earliest resolution deadline) and the rows, capped at <see cref="MaxRows"/> (the rest counted in "and N more").
/// </summary>
public static class EscalationListModel
{
    /// <summary>Most rows a list shows: with maximal titles the card stays well under the renderer's budget.</summary>
    public const int MaxRows = 15;

    /// <summary>The share of a target from which an escalation is at risk.</summary>
    public const double AtRiskPercent = 75;

    private const int TitleLength = 120;
    private const int AgreementLength = 60;

    /// <summary>Breached when either target is missed; at risk from 75 % of the resolution time, or of the response time while still Open.</summary>
    public static SlaStanding Standing(Escalation escalation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        var response = escalation.ResponseElapsed(now);
        var resolution = escalation.ResolutionElapsed(now);
        if (escalation.IsSlaBreached(now)) return SlaStanding.Breached;
        var waiting = escalation.AcknowledgedAt is null && escalation.State == EscalationState.Open;
        return resolution.PercentUsed >= AtRiskPercent || (waiting && response.PercentUsed >= AtRiskPercent) ? SlaStanding.AtRisk : SlaStanding.OnTrack;
    }

    /// <summary>Most urgent first: breached, then at risk, then by resolution deadline (paused ones last), then the oldest.</summary>
    public static IReadOnlyList<Escalation> MostUrgentFirst(IEnumerable<Escalation> escalations, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(escalations);
        return [.. escalations
            .Select(e => (Escalation: e, Standing: Standing(e, now), Due: e.ResolutionDueAt(100)))
            .OrderByDescending(x => x.Standing)
            .ThenBy(x => x.Due is null)
            .ThenBy(x => x.Due)
            .ThenBy(x => x.Escalation.Id)
            .Select(x => x.Escalation)];
    }

    /// <summary>The card data for <paramref name="escalations"/> (already in order), at most <paramref name="maxRows"/> rows.</summary>
    public static EscalationListCardData Build(string title, IReadOnlyList<Escalation> escalations, DateTimeOffset now, int maxRows = MaxRows)
    {
        ArgumentNullException.ThrowIfNull(escalations);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRows);
        var rows = escalations.Take(maxRows).Select(e => Row(e, now)).ToList();
        var more = escalations.Count - rows.Count;
        return new EscalationListCardData(title, rows, more > 0 ? string.Create(CultureInfo.InvariantCulture, $"and {more} more") : null);
    }

    private static EscalationListRow Row(Escalation escalation, DateTimeOffset now)
    {
        var standing = Standing(escalation, now);
        var clock = escalation.ResolutionElapsed(now);
        var remaining = clock.IsBreached
            ? "over by " + EscalationCardModel.Duration(clock.Elapsed - clock.Target, roundUp: true)
            : EscalationCardModel.Duration(clock.Remaining, roundUp: true) + " left";
        if (escalation.State == EscalationState.OnHold) remaining += " · paused (on hold)";
        return new EscalationListRow(
            escalation.Id,
            EscalationCardModel.Reference(escalation.Id),
            escalation.Priority.ToString(),
            ApprovalCardModel.Shorten(escalation.Title, TitleLength),
            ApprovalCardModel.Shorten(escalation.Policy.AgreementName, AgreementLength),
            escalation.Level.ToString(),
            StateLabel(escalation.State),
            remaining,
            standing == SlaStanding.Breached,
            standing == SlaStanding.AtRisk);
    }

    private static string StateLabel(EscalationState state) => state switch
    {
        EscalationState.OnHold => "On hold",
        _ => state.ToString(),
    };
}
