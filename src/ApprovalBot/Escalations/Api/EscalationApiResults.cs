using ApprovalBot.Approvals.Api;

namespace ApprovalBot.Escalations.Api;

/// <summary>
/// A refusal by the escalation domain as a problem: 403 when the person may not act on it (<c>escalation.forbidden</c>),
/// 400 for a value the domain rejects (<c>value.*</c>), otherwise 409 — the escalation's or the agreement's state does
/// not allow it (<c>escalation.transition</c>, <c>escalation.top_level</c>, <c>escalation.already_assigned</c>,
/// <c>escalation.reopen_window_passed</c>, <c>escalation.agreement_not_active</c>, …). The domain's message is the
/// <c>detail</c> and its code the extension <c>code</c>, as in the other endpoints.
/// </summary>
internal static class EscalationApiResults
{
    public const string Forbidden = "escalation.forbidden";

    public static IResult Refused(string code, string message)
    {
        var (status, title) = code switch
        {
            Forbidden => (StatusCodes.Status403Forbidden, "This person may not act on the escalation."),
            _ when code.StartsWith("value.", StringComparison.Ordinal) => (StatusCodes.Status400BadRequest, "The request is not valid."),
            _ => (StatusCodes.Status409Conflict, "The current state does not allow this."),
        };
        return Results.Problem(statusCode: status, title: title, detail: message, extensions: new Dictionary<string, object?> { ["code"] = code });
    }

    public static IResult NotFound(long id) => ApiResults.NotFound($"There is no escalation {id}.");
}
