using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Escalations;

namespace ApprovalBot.Escalations.Api;

/// <summary>
/// What the escalation endpoints log: which API key did what on behalf of which person (never the key itself). The key
/// speaks for the person it names, so the log is where "the ERP, for Alex" stays visible after the fact.
/// </summary>
internal static partial class EscalationsApiLog
{
    [LoggerMessage(EventId = 4300, Level = LogLevel.Information, Message = "API key {KeyName} opened escalation {EscalationId} against agreement {AgreementId} at {Priority} on behalf of {Reporter}")]
    public static partial void Opened(ILogger logger, string keyName, long escalationId, long agreementId, Priority priority, string reporter);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "API key {KeyName}: {Action} on escalation {EscalationId} on behalf of {Actor}; now {State} at {Level}")]
    public static partial void Acted(ILogger logger, string keyName, EscalationAction action, long escalationId, string actor, EscalationState state, SupportLevel level);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Information, Message = "API key {KeyName}: {Action} on escalation {EscalationId} on behalf of {Actor} refused ({Code})")]
    public static partial void Refused(ILogger logger, string keyName, EscalationAction action, long escalationId, string actor, string code);
}
