namespace ApprovalBot.Breaches.Api;

/// <summary>A data-protection contact of an incident and what happened with them: notified in Teams (when), not reachable (why and how to reach them instead), acknowledged (when).</summary>
public sealed record BreachContactDto(
    string Side, string Name, string? Person, string? Email, string? Phone, string? Role, DateTimeOffset? NotifiedAt, string? Unreachable, DateTimeOffset? AcknowledgedAt);

/// <summary>One data-protection incident. State: Open, Closed. clockPercent: the last step of the notification clock recorded (0, 50, 75, 90, 100).</summary>
public sealed record BreachDto(
    long Id,
    string Reference,
    long AgreementId,
    string AgreementName,
    int AgreementRevision,
    string Summary,
    string ReportedBy,
    DateTimeOffset ReportedAt,
    int NotificationDeadlineMinutes,
    DateTimeOffset DeadlineAt,
    string State,
    int ClockPercent,
    DateTimeOffset? ClosedAt,
    string? ClosedBy,
    string? CloseNote,
    IReadOnlyList<BreachContactDto> Contacts,
    IReadOnlyList<BreachEventDto> Events);

/// <summary>
/// One line of an incident's record. kind: Opened, Notified, Unreachable, Acknowledged, Warning, DeadlinePassed,
/// Closed; actor: who acted (for Notified/Unreachable the contact's Teams person), with actorName as the directory gives
/// it; contact: the contact as the agreement names them; percent: for Warning and DeadlinePassed.
/// </summary>
public sealed record BreachEventDto(int Sequence, DateTimeOffset At, string Kind, string? Actor, string? ActorName, string? Contact, int? Percent, string? Detail);

/// <summary>The record a regulator asks for: the incident's key facts and every event in the order recorded.</summary>
public sealed record BreachTimelineDto(
    long BreachId, string Reference, long AgreementId, string AgreementName, string Summary, string ReportedBy, string? ReportedByName, DateTimeOffset ReportedAt,
    DateTimeOffset DeadlineAt, string State, DateTimeOffset? ClosedAt, IReadOnlyList<BreachEventDto> Events);
