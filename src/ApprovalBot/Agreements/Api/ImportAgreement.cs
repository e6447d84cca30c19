using System.Security.Claims;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Agreements.Api;

/// <summary>
/// <c>POST /api/v1/agreements/import</c>: a whole agreement from a JSON file, in the shape GET returns (the terms of its
/// current revision; everything else of GET's answer — id, status, history, approvals — is ignored) or with a top-level
/// <c>terms</c>. It becomes a new Draft, ready to submit. Unlike <c>POST /agreements</c>, an import must be complete:
/// invalid values and missing terms alike are a 422 that lists every problem by field, and nothing is stored.
/// A name in use is a 409, or with <c>onNameConflict=rename</c> the first free "name (2)", "name (3)", ….
/// </summary>
internal static class ImportAgreement
{
    /// <summary>The file: GET's answer (name, createdBy, currentRevision, revisions[].terms) or name, createdBy and terms.</summary>
    public sealed record Body(string? Name, string? CreatedBy, TermsDto? Terms, int? CurrentRevision, IReadOnlyList<RevisionBody?>? Revisions);

    public sealed record RevisionBody(int? Number, TermsDto? Terms);

    public const string Fail = "fail";

    public const string Rename = "rename";

    public static async Task<IResult> HandleAsync(
        Body body, string? onNameConflict, CreateAgreementDraft create, BotDbContext db, TeamsPeople people, ClaimsPrincipal user, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return await ApiResults.GuardAsync(async () =>
        {
            var input = new ApiInput(people);
            var conflict = (onNameConflict ?? Fail).Trim().ToLowerInvariant();
            if (conflict is not (Fail or Rename)) input.Error("onNameConflict", $"onNameConflict is '{Fail}' (the default: 409) or '{Rename}'.");
            var name = body.Name?.Trim() ?? "";
            if (name.Length == 0) input.Error("name", "name is required.");
            else if (name.Length > Agreement.MaxNameLength) input.Error("name", $"name is at most {Agreement.MaxNameLength} characters.");
            var author = await input.PersonAsync(body.CreatedBy, "createdBy", required: true, cancellationToken);
            var terms = await TermsMapping.ReadWhatIsValidAsync(TermsOf(body), input, cancellationToken);
            foreach (var problem in terms?.Problems() ?? [])
                input.Error(ApiResults.TermsField(problem.Field), problem.Message);
            if (input.HasErrors) return Unprocessable(input);

            if (conflict == Rename) name = await FreeNameAsync(db, name, cancellationToken);
            var agreement = await create.HandleAsync(name, terms!, author!.Value, cancellationToken);
            var logger = loggers.CreateLogger(typeof(ImportAgreement));
            var keyName = user.Identity?.Name ?? "";
            ApprovalsApiLog.AgreementCreated(logger, keyName, agreement.Id);
            return Results.Created($"/api/v1/agreements/{agreement.Id}", agreement.ToDto([]));
        });
    }

    /// <summary>The top-level terms, else the current revision's, else the last revision's.</summary>
    private static TermsDto? TermsOf(Body body)
    {
        if (body.Terms is not null) return body.Terms;
        var revisions = (body.Revisions ?? []).Where(r => r?.Terms is not null).ToList();
        return (revisions.FirstOrDefault(r => r!.Number is { } n && n == body.CurrentRevision) ?? revisions.LastOrDefault())?.Terms;
    }

    private static IResult Unprocessable(ApiInput input)
    {
        var errors = input.Errors;
        return Results.ValidationProblem(
            errors,
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "The agreement cannot be imported.",
            detail: "Nothing was stored; every problem is listed by field.",
            extensions: new Dictionary<string, object?>
            {
                ["code"] = "agreement.import_invalid",
                ["problems"] = errors.SelectMany(e => e.Value.Select(m => new ProblemDto(e.Key, m))).ToList(),
            });
    }

    private static async Task<string> FreeNameAsync(BotDbContext db, string name, CancellationToken cancellationToken)
    {
        var lower = name.ToLowerInvariant();
#pragma warning disable CA1304, CA1311, CA1862 // translated to SQL lower(), on both providers
        var taken = await db.Agreements.AsNoTracking().Where(a => a.Name.ToLower() == lower || a.Name.ToLower().StartsWith(lower + " ("))
            .Select(a => a.Name.ToLower()).ToListAsync(cancellationToken);
#pragma warning restore CA1304, CA1311, CA1862
        if (!taken.Contains(lower)) return name;
        for (var n = 2; ; n++)
        {
            var candidate = $"{name} ({n})";
            if (candidate.Length > Agreement.MaxNameLength) candidate = $"{name[..(Agreement.MaxNameLength - $" ({n})".Length)]} ({n})";
            if (!taken.Contains(candidate.ToLowerInvariant())) return candidate;
        }
    }
}
