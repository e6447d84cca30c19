using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.Approvals.Api;

/// <summary>A stage of a flow (configured, or the snapshot a request follows), in words and as data.</summary>
public sealed record StageDto(
    int Number,
    string Name,
    string? Description,
    string Approvers,
    ApproverRuleDto ApproverRule,
    string Decision,
    DecisionRuleDto DecisionRule,
    double SlaHours,
    double? ReminderHours,
    string EscalateTo,
    EscalationTargetDto EscalationTarget);

public sealed record ApproverRuleDto(string Kind, string? Group, IReadOnlyList<string>? People);

public sealed record DecisionRuleDto(string Kind, int Required);

public sealed record EscalationTargetDto(string Kind, string? Group, IReadOnlyList<string>? People);

/// <summary>A configured flow and its stages.</summary>
public sealed record FlowDto(string Name, IReadOnlyList<StageDto> Stages);

/// <summary>The decision that ended a stage or a request's revision: who, for whom, the comment.</summary>
public sealed record DecisionDto(string Decision, string DecidedBy, string? OnBehalfOf, string? Comment, DateTimeOffset At, int Revision, int StageNumber);

public sealed record LinkDto(string Title, string Url);

public sealed record SubjectDto(string Kind, long? Id, int Revision, string? Reference);

/// <summary>A request in a list: where it stands and whom it waits for.</summary>
public sealed record ApprovalSummaryDto(
    long Id,
    string Title,
    string Status,
    string Requester,
    string FlowName,
    SubjectDto Subject,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? CompletedAt,
    int CurrentStageNumber,
    string? CurrentStageName,
    DateTimeOffset? DueAt,
    IReadOnlyList<string> WaitingFor);

/// <summary>One approver's seat; <c>DocumentHashes</c>: the documents its decision was made on (from the decision's audit line), null when undecided or without documents.</summary>
public sealed record SeatDto(string Owner, string? Delegate, string Holder, string? Decision, string? DecidedBy, DateTimeOffset? DecidedAt, string? Comment, string? DocumentHashes);

public sealed record StageRunDto(
    int Revision,
    int StageNumber,
    string StageName,
    DecisionRuleDto DecisionRule,
    int ApprovalsNeeded,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset DueAt,
    DateTimeOffset? CompletedAt,
    int RemindersSent,
    DateTimeOffset? EscalatedAt,
    IReadOnlyList<SeatDto> Seats);

/// <summary>
/// A request in full: its stages snapshot, every stage run with its seats and decisions, and its outcome.
/// <c>DocumentHashes</c>: the documents being decided now (<c>Draft:&lt;sha256&gt; FinalContract:&lt;sha256&gt;</c>), null without documents.
/// </summary>
public sealed record ApprovalDto(
    long Id,
    string Title,
    string Details,
    IReadOnlyList<LinkDto> Links,
    string Requester,
    SubjectDto Subject,
    string FlowName,
    string Status,
    int Revision,
    int CurrentStageNumber,
    string? CurrentStageName,
    DateTimeOffset? DueAt,
    IReadOnlyList<string> WaitingFor,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? CompletedAt,
    string? BlockedReason,
    DecisionDto? Outcome,
    string? DocumentHashes,
    IReadOnlyList<StageDto> Stages,
    IReadOnlyList<StageRunDto> StageRuns,
    long Version);

/// <summary>Domain values as the API shows them: ids as strings, enums by name, instants in UTC.</summary>
internal static class ApprovalMapping
{
    public static DateTimeOffset Utc(DateTimeOffset at) => at.ToUniversalTime();

    public static DateTimeOffset? Utc(DateTimeOffset? at) => at?.ToUniversalTime();

    public static string? Id(PersonId? person) => person?.Value;

    public static IReadOnlyList<string>? Ids(IReadOnlyList<PersonId> people) => people.Count == 0 ? null : [.. people.Select(p => p.Value)];

    public static DecisionDto? ToDto(this RequestOutcome? outcome) => outcome is null ? null : new DecisionDto(
        outcome.Decision.ToString(), outcome.DecidedBy.Value, Id(outcome.OnBehalfOf), outcome.Comment, Utc(outcome.At), outcome.Revision, outcome.StageNumber);

    public static DecisionRuleDto ToDto(this DecisionRule rule) => new(rule.Kind.ToString(), rule.Required);

    public static StageDto ToDto(this StageDefinition stage, int number) => new(
        number,
        stage.Name,
        stage.Description,
        Describe(stage.Approvers),
        new ApproverRuleDto(stage.Approvers.Kind.ToString(), stage.Approvers.GroupName, Ids(stage.Approvers.PersonIds)),
        stage.Decision.ToString(),
        stage.Decision.ToDto(),
        stage.ApproverSla.TotalHours,
        stage.ReminderEvery?.TotalHours,
        Describe(stage.EscalateTo),
        new EscalationTargetDto(stage.EscalateTo.Kind.ToString(), stage.EscalateTo.GroupName, Ids(stage.EscalateTo.PersonIds)));

    public static FlowDto ToDto(this ApprovalFlow flow) => new(flow.Name, [.. flow.Stages.Select((s, i) => s.ToDto(i + 1))]);

    public static SubjectDto ToDto(this ApprovalSubject subject) => new(subject.Kind.ToString(), subject.Id, subject.Revision, subject.Reference);

    public static ApprovalSummaryDto ToSummary(this ApprovalRequest request)
    {
        var current = request.CurrentStage;
        return new ApprovalSummaryDto(
            request.Id, request.Title, request.Status.ToString(), request.Requester.Value, request.FlowName, request.Subject.ToDto(),
            Utc(request.SubmittedAt), Utc(request.CompletedAt), request.CurrentStageNumber, StageName(request), Utc(current?.DueAt),
            [.. request.WaitingFor.Select(p => p.Value)]);
    }

    public static ApprovalDto ToDto(this ApprovalRequest request)
    {
        var current = request.CurrentStage;
        return new ApprovalDto(
            request.Id, request.Title, request.Details, [.. request.Links.Select(l => new LinkDto(l.Title, l.Url))],
            request.Requester.Value, request.Subject.ToDto(), request.FlowName, request.Status.ToString(), request.Revision,
            request.CurrentStageNumber, StageName(request), Utc(current?.DueAt), [.. request.WaitingFor.Select(p => p.Value)],
            Utc(request.SubmittedAt), Utc(request.CompletedAt), request.BlockedReason, request.Outcome.ToDto(), request.DocumentHashes,
            [.. request.Stages.Select((s, i) => s.ToDto(i + 1))],
            [.. request.StageRuns.Select(r => new StageRunDto(
                r.Revision, r.StageNumber, r.StageName, r.Rule.ToDto(), r.ApprovalsNeeded, r.Status.ToString(), Utc(r.StartedAt), Utc(r.DueAt),
                Utc(r.CompletedAt), r.RemindersSent, Utc(r.EscalatedAt),
                [.. r.Seats.Select(s => new SeatDto(s.Owner.Value, Id(s.Delegate), s.Holder.Value, s.Decision?.ToString(), Id(s.DecidedBy), Utc(s.DecidedAt), s.Comment,
                    DecisionHashes(request, r, s)))]))],
            request.Version);
    }

    /// <summary>The document hashes the seat's decision was made on: those its accepted audit line (same revision, stage, actor and kind) recorded.</summary>
    private static string? DecisionHashes(ApprovalRequest request, StageRun run, StageSeat seat)
    {
        if (seat.Decision is not { } decision || seat.DecidedBy is not { } by) return null;
        var action = decision switch
        {
            DecisionKind.Approve => AuditAction.Approve,
            DecisionKind.Reject => AuditAction.Reject,
            _ => AuditAction.RequestChanges,
        };
        return request.AuditTrail.LastOrDefault(e => e.Outcome == AuditOutcome.Accepted && e.Action == action && e.Revision == run.Revision
            && e.StageNumber == run.StageNumber && e.Actor == by)?.DocumentHashes;
    }

    private static string? StageName(ApprovalRequest request) =>
        request.CurrentStageNumber >= 1 && request.CurrentStageNumber <= request.Stages.Count ? request.Stages[request.CurrentStageNumber - 1].Name : null;

    private static string Describe(ApproverRule rule) => rule.Kind switch
    {
        ApproverRuleKind.RequesterManager => "The requester's manager",
        ApproverRuleKind.Group => $"Members of the group {rule.GroupName}",
        _ => $"These people: {string.Join(", ", rule.PersonIds)}",
    };

    private static string Describe(EscalationTarget target) => target.Kind switch
    {
        EscalationTargetKind.ApproversManager => "The manager of each approver who has not decided",
        EscalationTargetKind.Group => $"Members of the group {target.GroupName}",
        _ => $"These people: {string.Join(", ", target.PersonIds)}",
    };
}
