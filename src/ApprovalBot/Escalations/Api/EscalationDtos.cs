using ApprovalBot.Agreements.Api;
using ApprovalBot.Domain.Escalations;

namespace ApprovalBot.Escalations.Api;

/// <summary>
/// One SLA clock at the moment of the answer: its target, the business time it counted (holds and resolved stretches
/// left out), what is left, the share used (over 100 once breached), whether it is breached and running, and when its
/// deadline falls (null when no deadline is pending: acknowledged, on hold, resolved or closed).
/// </summary>
public sealed record SlaClockDto(
    double TargetMinutes, double ElapsedMinutes, double RemainingMinutes, double PercentUsed, bool Breached, bool Running, DateTimeOffset? DueAt);

/// <summary>Both clocks at <see cref="At"/>. <c>response.dueAt</c> is the current level's deadline to acknowledge (a miss notifies the next level).</summary>
public sealed record EscalationClocksDto(DateTimeOffset At, SlaClockDto Response, SlaClockDto Resolution);

/// <summary>A resolution warning (50, 75) or the breach (100): whether it was sent, and when it falls due while the clock runs.</summary>
public sealed record ResolutionWarningDto(int Percent, bool Sent, DateTimeOffset? DueAt);

/// <summary>A hold or a stretch spent resolved before a reopen; <c>to</c> is null while it lasts.</summary>
public sealed record TimePeriodDto(DateTimeOffset From, DateTimeOffset? To);

/// <summary>What the escalation follows, as snapshotted from the agreement when it opened.</summary>
public sealed record EscalationPolicyDto(
    long AgreementId,
    string AgreementName,
    int AgreementRevision,
    string Priority,
    double ResponseTargetMinutes,
    double ResolutionTargetMinutes,
    BusinessCalendarDto Calendar,
    IReadOnlyList<EscalationLevelDto> Levels,
    IReadOnlyList<string> OversightOwners,
    double ReopenWindowHours);

/// <summary>One line of the timeline: a person's action (<c>actor</c>) or a timer's step (<c>actor</c> null).</summary>
public sealed record TimelineEntryDto(int Sequence, DateTimeOffset At, string? Actor, string Kind, string Level, string? Reason, string? Detail, int? Percent);

/// <summary>An escalation in a list: where it stands, its deadlines and whether a clock is breached now.</summary>
public sealed record EscalationSummaryDto(
    long Id,
    string Title,
    string Priority,
    string State,
    string Level,
    long AgreementId,
    string AgreementName,
    string Reporter,
    string? Assignee,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? ResponseDueAt,
    DateTimeOffset? ResolutionDueAt,
    bool ResponseBreached,
    bool ResolutionBreached);

/// <summary>An escalation in full: its fields, both clocks now, the resolution warnings, holds, the policy snapshot and the timeline.</summary>
public sealed record EscalationDto(
    long Id,
    string Title,
    string Description,
    string Priority,
    string State,
    string? StateBeforeHold,
    string Level,
    DateTimeOffset LevelStartedAt,
    long AgreementId,
    string AgreementName,
    string Reporter,
    string? Assignee,
    DateTimeOffset OpenedAt,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    DateTimeOffset? ResolvedAt,
    string? ResolvedBy,
    string? ResolutionNote,
    DateTimeOffset? ClosedAt,
    int ReopenCount,
    DateTimeOffset? ResponseBreachedAt,
    DateTimeOffset? ResolutionBreachedAt,
    EscalationClocksDto Clocks,
    IReadOnlyList<ResolutionWarningDto> ResolutionWarnings,
    IReadOnlyList<TimePeriodDto> Holds,
    IReadOnlyList<TimePeriodDto> ResolvedPeriods,
    EscalationPolicyDto Policy,
    IReadOnlyList<TimelineEntryDto> Timeline,
    long Version);

/// <summary>Escalations as the API shows them: people as object ids, enums by name, instants in UTC, durations in minutes.</summary>
internal static class EscalationMapping
{
    public static EscalationDto ToDto(this Escalation escalation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        var e = escalation;
        return new EscalationDto(
            e.Id, e.Title, e.Description, e.Priority.ToString(), e.State.ToString(), e.StateBeforeHold?.ToString(), e.Level.ToString(), Utc(e.LevelStartedAt),
            e.AgreementId, e.Policy.AgreementName, e.Reporter.Value, e.Assignee?.Value,
            Utc(e.OpenedAt), Utc(e.AcknowledgedAt), e.AcknowledgedBy?.Value, Utc(e.ResolvedAt), e.ResolvedBy?.Value, e.ResolutionNote, Utc(e.ClosedAt),
            e.ReopenCount, Utc(e.ResponseBreachedAt), Utc(e.ResolutionBreachedAt),
            e.Clocks(now),
            [.. Escalation.WarningPercents.Select(p => new ResolutionWarningDto(p, e.WarningsSent.HasFlag(Flag(p)), Utc(e.ResolutionDueAt(p))))],
            [.. e.HoldPeriods.Select(Period)],
            [.. e.ResolvedPeriods.Select(Period)],
            e.Policy.ToDto(),
            [.. e.Timeline.OrderBy(t => t.Sequence).Select(t => new TimelineEntryDto(
                t.Sequence, Utc(t.At), t.Actor?.Value, t.Kind.ToString(), t.Level.ToString(), t.Reason, t.Detail, t.Percent))],
            e.Version);
    }

    public static EscalationSummaryDto ToSummary(this Escalation escalation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        var e = escalation;
        return new EscalationSummaryDto(
            e.Id, e.Title, e.Priority.ToString(), e.State.ToString(), e.Level.ToString(), e.AgreementId, e.Policy.AgreementName,
            e.Reporter.Value, e.Assignee?.Value, Utc(e.OpenedAt), Utc(e.ResolvedAt), Utc(e.ResponseDueAt), Utc(e.ResolutionDueAt(100)),
            e.ResponseElapsed(now).IsBreached, e.ResolutionElapsed(now).IsBreached);
    }

    public static EscalationClocksDto Clocks(this Escalation escalation, DateTimeOffset now) => new(
        Utc(now),
        Clock(escalation.ResponseElapsed(now), escalation.ResponseDueAt),
        Clock(escalation.ResolutionElapsed(now), escalation.ResolutionDueAt(100)));

    public static EscalationPolicyDto ToDto(this EscalationPolicy policy) => new(
        policy.AgreementId,
        policy.AgreementName,
        policy.AgreementRevision,
        policy.Priority.ToString(),
        policy.ResponseTarget.TotalMinutes,
        policy.ResolutionTarget.TotalMinutes,
        TermsMapping.ToDto(policy.Calendar),
        [.. policy.Levels.Select(l => new EscalationLevelDto(l.Level.ToString(), [.. l.Contacts.People.Select(p => p.Value)], l.Contacts.ChannelId, l.Description))],
        [.. policy.OversightOwners.Select(p => p.Value)],
        policy.ReopenWindow.TotalHours);

    private static SlaClockDto Clock(SlaClock clock, DateTimeOffset? dueAt) => new(
        clock.Target.TotalMinutes,
        Math.Round(clock.Elapsed.TotalMinutes, 2, MidpointRounding.AwayFromZero),
        Math.Round(clock.Remaining.TotalMinutes, 2, MidpointRounding.AwayFromZero),
        Math.Round(clock.PercentUsed, 1, MidpointRounding.AwayFromZero),
        clock.IsBreached,
        clock.Running,
        Utc(dueAt));

    private static TimePeriodDto Period(TimePeriod period) => new(Utc(period.From), Utc(period.To));

    private static ResolutionWarnings Flag(int percent) => percent switch
    {
        50 => ResolutionWarnings.At50,
        75 => ResolutionWarnings.At75,
        _ => ResolutionWarnings.At100,
    };

    private static DateTimeOffset Utc(DateTimeOffset at) => at.ToUniversalTime();

    private static DateTimeOffset? Utc(DateTimeOffset? at) => at?.ToUniversalTime();
}
