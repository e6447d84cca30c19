using System.Security.Claims;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Storage;
using ApprovalBot.Teams;

namespace ApprovalBot.Agreements.Api;

/// <summary>
/// <c>PUT /api/v1/agreements/{id}/terms</c>: new terms through <see cref="ReviseAgreement"/>, on behalf of <c>by</c> (the
/// author or an oversight owner). The lifecycle decides whether this edits the draft or starts a new revision, or
/// refuses (409).
/// </summary>
internal static class ReviseAgreementTerms
{
    public sealed record Body(string? By, TermsDto? Terms);

    public static async Task<IResult> HandleAsync(long id, Body body, ReviseAgreement revise, BotDbContext db, TeamsPeople people, ClaimsPrincipal user, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return await ApiResults.GuardAsync(async () =>
        {
            var input = new ApiInput(people);
            var by = await input.PersonAsync(body.By, "by", required: true, cancellationToken);
            var terms = await TermsMapping.ReadAsync(body.Terms, input, cancellationToken);
            if (input.HasErrors) return input.Problem();

            var agreement = await revise.HandleAsync(id, terms!, by!.Value, cancellationToken);
            if (agreement is null) return ApiResults.NotFound($"There is no agreement {id}.");
            var logger = loggers.CreateLogger(typeof(ReviseAgreementTerms));
            var keyName = user.Identity?.Name ?? "";
            ApprovalsApiLog.AgreementRevised(logger, keyName, id, agreement.CurrentRevision.Number);
            return Results.Ok(agreement.ToDto(await AgreementQueries.ApprovalRequestIdsAsync(db, id, cancellationToken)));
        });
    }
}
