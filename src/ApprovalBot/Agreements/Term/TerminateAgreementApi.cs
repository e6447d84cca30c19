using System.Security.Claims;
using ApprovalBot.Agreements.Api;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Teams;

namespace ApprovalBot.Agreements.Term;

/// <summary>
/// <c>POST /api/v1/agreements/{id}/termination</c>: the API's <c>terminate</c> (<see cref="DecideTerm"/>). 200 with the
/// scheduled termination; 400 for a reason the agreement does not accept (the detail lists them, and the extension
/// <c>reasons</c>); 409 when <c>by</c> may not terminate it or its state forbids it (ended, renewal in approval, notice
/// too late).
/// </summary>
internal static class TerminateAgreementApi
{
    public sealed record Body(string? By, string? Reason);

    /// <summary>The scheduled termination: it takes effect at <c>effectiveAt</c> (00:00 of <c>noticeDate</c> in the agreement's time zone).</summary>
    public sealed record TerminationDto(long AgreementId, string Status, string Reason, string By, DateTimeOffset RequestedAt, DateTimeOffset EffectiveAt, DateOnly NoticeDate);

    public static async Task<IResult> HandleAsync(long id, Body body, DecideTerm decide, TermClock clock, TeamsPeople people, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(clock);
        return await ApiResults.GuardAsync(async () =>
        {
            var input = new ApiInput(people);
            var by = await input.PersonAsync(body.By, "by", required: true, cancellationToken);
            if (string.IsNullOrWhiteSpace(body.Reason)) input.Error("reason", "Give the reason for the termination.");
            if (input.HasErrors) return input.Problem();

            var result = await decide.HandleAsync(new DecideTermInput(id, by!.Value, TermAction.Terminate, body.Reason), cancellationToken);
            if (result.Agreement is not { } agreement) return ApiResults.NotFound($"There is no agreement {id}.");
            if (result.Refusal is { } refusal)
            {
                var badReason = result.RefusalCode == "agreement.termination_reason";
                return Results.Problem(
                    statusCode: badReason ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict,
                    title: badReason ? "The request is not valid." : "The current state does not allow this.",
                    detail: refusal,
                    extensions: new Dictionary<string, object?> { ["code"] = result.RefusalCode, ["reasons"] = agreement.AcceptedTerminationReasons });
            }
            var effective = agreement.TerminationEffectiveAt!.Value;
            var zone = agreement.TermSchedule(clock.Zone)?.Zone ?? clock.Zone;
            return Results.Ok(new TerminationDto(agreement.Id, agreement.Status.ToString(), agreement.TerminationReason!, agreement.TerminatedBy!.Value.Value,
                ApprovalMapping.Utc(agreement.TerminationRequestedAt!.Value), ApprovalMapping.Utc(effective), TermDates.LocalDate(effective, zone)));
        });
    }
}
