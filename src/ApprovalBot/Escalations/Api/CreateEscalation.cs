using System.Security.Claims;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Escalations.Api;

/// <summary>
/// <c>POST /api/v1/escalations</c>: opens an escalation for a reporter through <see cref="OpenEscalation"/> (the same
/// use case as the <c>escalate</c> command: it snapshots the policy, notifies L1 through the outbox and arms the
/// timer). The agreement is given by id or by its exact name (any case); an agreement that is not Active is a 409.
/// </summary>
internal static class CreateEscalation
{
    public sealed record Body(long? AgreementId, string? AgreementName, string? Priority, string? Title, string? Description, string? Reporter);

    public static async Task<IResult> HandleAsync(
        Body body, OpenEscalation open, BotDbContext db, TeamsPeople people, TimeProvider time, ClaimsPrincipal user, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return await ApiResults.GuardAsync(async () =>
        {
            var input = new ApiInput(people);
            var agreementId = await AgreementAsync(body, db, input, cancellationToken);
            var priority = input.Enum<Priority>(body.Priority, "priority");
            if (body.Priority is null) input.Error("priority", "priority is required: P1, P2, P3 or P4.");
            if (string.IsNullOrWhiteSpace(body.Title)) input.Error("title", "title is required.");
            else if (body.Title.Trim().Length > Escalation.MaxTitleLength) input.Error("title", $"title must be at most {Escalation.MaxTitleLength} characters.");
            if (body.Description is { } description && description.Trim().Length > Escalation.MaxDescriptionLength)
                input.Error("description", $"description must be at most {Escalation.MaxDescriptionLength} characters.");
            var reporter = await input.PersonAsync(body.Reporter, "reporter", required: true, cancellationToken);
            if (input.HasErrors) return input.Problem();

            Escalation escalation;
            try
            {
                escalation = await open.HandleAsync(
                    new OpenEscalationInput(agreementId!.Value, priority!.Value, body.Title!, body.Description, reporter!.Value), cancellationToken);
            }
            catch (DomainException e)
            {
                return EscalationApiResults.Refused(e.Code, e.Message);
            }

            var logger = loggers.CreateLogger(typeof(CreateEscalation));
            EscalationsApiLog.Opened(logger, user.Identity?.Name ?? "", escalation.Id, escalation.AgreementId, escalation.Priority, escalation.Reporter.Value);
            return Results.Created($"/api/v1/escalations/{escalation.Id}", escalation.ToDto(time.GetUtcNow()));
        });
    }

    /// <summary>The agreement's id from <c>agreementId</c> or <c>agreementName</c> (exactly one); an unknown one is a field error.</summary>
    private static async Task<long?> AgreementAsync(Body body, BotDbContext db, ApiInput input, CancellationToken cancellationToken)
    {
        var hasName = !string.IsNullOrWhiteSpace(body.AgreementName);
        if (body.AgreementId is not null && hasName)
        {
            input.Error("agreementId", "Give agreementId or agreementName, not both.");
            return null;
        }

        if (body.AgreementId is { } id)
        {
            if (await db.Agreements.AsNoTracking().AnyAsync(a => a.Id == id, cancellationToken)) return id;
            input.Error("agreementId", $"There is no agreement {id}.");
            return null;
        }

        if (!hasName)
        {
            input.Error("agreementId", "Give the agreement: agreementId, or agreementName (its exact name, any case).");
            return null;
        }

        var name = body.AgreementName!.Trim();
        var lower = name.ToLowerInvariant();
#pragma warning disable CA1304, CA1311, CA1862 // translated to SQL lower(), on both providers (as CreateAgreementDraft checks names)
        var found = await db.Agreements.AsNoTracking().Where(a => a.Name.ToLower() == lower).Select(a => (long?)a.Id).FirstOrDefaultAsync(cancellationToken);
#pragma warning restore CA1304, CA1311, CA1862
        if (found is null) input.Error("agreementName", $"There is no agreement named '{name}'.");
        return found;
    }
}
