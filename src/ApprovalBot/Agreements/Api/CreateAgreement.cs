using System.Security.Claims;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Teams;

namespace ApprovalBot.Agreements.Api;

/// <summary>
/// <c>POST /api/v1/agreements</c>: a Draft agreement through <see cref="CreateAgreementDraft"/>. Incomplete terms are
/// fine in a draft (the answer lists its <c>problems</c>); unknown addresses and invalid values are field errors; a name
/// in use is a 409.
/// </summary>
internal static class CreateAgreement
{
    public sealed record Body(string? Name, string? CreatedBy, TermsDto? Terms);

    public static async Task<IResult> HandleAsync(Body body, CreateAgreementDraft create, TeamsPeople people, ClaimsPrincipal user, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return await ApiResults.GuardAsync(async () =>
        {
            var input = new ApiInput(people);
            if (string.IsNullOrWhiteSpace(body.Name)) input.Error("name", "name is required.");
            var author = await input.PersonAsync(body.CreatedBy, "createdBy", required: true, cancellationToken);
            var terms = await TermsMapping.ReadAsync(body.Terms, input, cancellationToken);
            if (input.HasErrors) return input.Problem();

            var agreement = await create.HandleAsync(body.Name!, terms!, author!.Value, cancellationToken);
            var logger = loggers.CreateLogger(typeof(CreateAgreement));
            var keyName = user.Identity?.Name ?? "";
            ApprovalsApiLog.AgreementCreated(logger, keyName, agreement.Id);
            return Results.Created($"/api/v1/agreements/{agreement.Id}", agreement.ToDto([]));
        });
    }
}
