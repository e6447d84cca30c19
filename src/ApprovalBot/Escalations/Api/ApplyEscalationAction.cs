using System.Security.Claims;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Teams;

namespace ApprovalBot.Escalations.Api;

/// <summary>
/// <c>POST /api/v1/escalations/{id}/{action}</c>: acknowledge, assign, hold, resume, resolve, reopen, close or escalate,
/// on behalf of the person named in <c>actor</c>, through <see cref="ActOnEscalation"/> — the same use case as the card
/// buttons and the <c>escalate</c> command, so the domain decides who may act and what is legal. The API cannot see
/// Teams channel membership: the actor counts as a current-level contact person, the assignee or the reporter, never
/// as a member of the level's channel.
/// </summary>
internal static class ApplyEscalationAction
{
    /// <summary>
    /// <c>actor</c> always; <c>reason</c> for hold, escalate and reopen; <c>note</c> for resolve; <c>assignee</c> for
    /// assign. A field the action does not take is an error, so nothing a caller sends is silently dropped.
    /// </summary>
    public sealed record Body(string? Actor, string? Reason, string? Note, string? Assignee);

    /// <summary>An action as the API offers it: its path segment, the text field it requires (if any), whether it takes an assignee.</summary>
    public sealed record Spec(EscalationAction Action, string Segment, string? TextField, bool TakesAssignee, string Summary);

    public static readonly IReadOnlyList<Spec> Actions =
    [
        new(EscalationAction.Acknowledge, "acknowledge", null, false, "Acknowledges the escalation: the first response, which stops the response clock."),
        new(EscalationAction.Assign, "assign", null, true, "Assigns the escalation to a person (who may then act on it too)."),
        new(EscalationAction.Hold, "hold", "reason", false, "Puts the escalation on hold with a reason: both clocks pause."),
        new(EscalationAction.Resume, "resume", null, false, "Ends the hold: the clocks run again and every deadline moves by the time on hold."),
        new(EscalationAction.Resolve, "resolve", "note", false, "Resolves the escalation with a note for the reporter: both clocks stop."),
        new(EscalationAction.Reopen, "reopen", "reason", false, "Reopens a resolved or closed escalation within the reopen window, with a reason."),
        new(EscalationAction.Close, "close", null, false, "Closes a resolved escalation."),
        new(EscalationAction.Escalate, "escalate", "reason", false, "Notifies the next level now, with a reason; its response deadline counts from now."),
    ];

    public static async Task<IResult> HandleAsync(
        Spec spec, long id, Body body, ActOnEscalation act, TeamsPeople people, TimeProvider time, ClaimsPrincipal user, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(body);
        return await ApiResults.GuardAsync(async () =>
        {
            var input = new ApiInput(people);
            var actor = await input.PersonAsync(body.Actor, "actor", required: true, cancellationToken);
            var text = Text(spec, body, input);
            var assignee = spec.TakesAssignee ? await input.PersonAsync(body.Assignee, "assignee", required: true, cancellationToken) : null;
            if (!spec.TakesAssignee && body.Assignee is not null) input.Error("assignee", $"{spec.Segment} takes no assignee.");
            if (input.HasErrors) return input.Problem();

            var result = await act.HandleAsync(new ActOnEscalationInput(id, actor!.Value, InLevelChannel: false, spec.Action, text, assignee), cancellationToken);
            if (result.Escalation is not { } escalation) return EscalationApiResults.NotFound(id);

            var logger = loggers.CreateLogger(typeof(ApplyEscalationAction));
            var keyName = user.Identity?.Name ?? "";
            if (result.Refusal is { } refusal)
            {
                var code = result.RefusalCode ?? "domain.error";
                EscalationsApiLog.Refused(logger, keyName, spec.Action, id, actor.Value.Value, code);
                return EscalationApiResults.Refused(code, refusal);
            }

            EscalationsApiLog.Acted(logger, keyName, spec.Action, id, actor.Value.Value, escalation.State, escalation.Level);
            return Results.Ok(escalation.ToDto(time.GetUtcNow()));
        });
    }

    /// <summary>The reason or note the action needs (required, within the domain's length), and an error for one it does not take.</summary>
    private static string? Text(Spec spec, Body body, ApiInput input)
    {
        foreach (var (field, value) in new[] { ("reason", body.Reason), ("note", body.Note) })
        {
            if (field == spec.TextField) continue;
            if (value is not null) input.Error(field, spec.TextField is null ? $"{spec.Segment} takes no {field}." : $"{spec.Segment} takes a {spec.TextField}, not a {field}.");
        }

        if (spec.TextField is null) return null;
        var text = spec.TextField == "note" ? body.Note : body.Reason;
        var max = spec.TextField == "note" ? Escalation.MaxNoteLength : Escalation.MaxReasonLength;
        if (string.IsNullOrWhiteSpace(text)) input.Error(spec.TextField, $"{spec.TextField} is required to {spec.Segment}.");
        else if (text.Trim().Length > max) input.Error(spec.TextField, $"{spec.TextField} must be at most {max} characters.");
        return text;
    }
}
