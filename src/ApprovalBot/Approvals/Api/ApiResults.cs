using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.OrgDirectory;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Approvals.Api;

/// <summary>
/// The problem details of the agreements and approvals endpoints. A <see cref="DomainException"/> is an expected answer,
/// not a failure: 409 when the state of the agreement or request forbids what was asked (its lifecycle, who may change
/// it, a duplicate name, a concurrent change), otherwise 400; the domain's message is the <c>detail</c> and its code an
/// extension <c>code</c>. Incomplete terms are a validation problem with every problem at once.
/// </summary>
internal static class ApiResults
{
    private static readonly HashSet<string> Conflicts = new(StringComparer.Ordinal)
    {
        "agreement.duplicate", "agreement.transition", "agreement.not_revised", "agreement.forbidden",
        "agreement.request_state", "agreement.stale_request", "agreement.wrong_request", "agreement.not_signed_off",
        "approval.transition", "approval.concurrent", "approval.not_requester", "approval.stale_subject",
    };

    public static IResult Validation(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: "One or more fields are not valid.");

    public static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: detail);

    public static IResult Domain(DomainException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is AgreementIncompleteException incomplete) return Incomplete(incomplete);
        var conflict = Conflicts.Contains(exception.Code);
        return Results.Problem(
            statusCode: conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest,
            title: conflict ? "The current state does not allow this." : "The request is not valid.",
            detail: exception.Message,
            extensions: new Dictionary<string, object?> { ["code"] = exception.Code });
    }

    /// <summary>400 with <c>errors</c> (terms.field → messages) and <c>problems</c> (the list, in order).</summary>
    public static IResult Incomplete(AgreementIncompleteException exception) =>
        Results.ValidationProblem(
            exception.Problems.GroupBy(p => TermsField(p.Field)).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
            detail: exception.Message,
            title: "The agreement is not complete.",
            extensions: new Dictionary<string, object?>
            {
                ["code"] = exception.Code,
                ["problems"] = exception.Problems.Select(p => new ProblemDto(TermsField(p.Field), p.Message)).ToList(),
            });

    public static IResult Concurrency() =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The current state does not allow this.",
            detail: "Someone changed it at the same time; read it again and retry.",
            extensions: new Dictionary<string, object?> { ["code"] = "concurrency" });

    public static IResult DirectoryUnavailable() =>
        Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable",
            detail: "The directory cannot answer right now; try again later.");

    /// <summary>Runs a use case and turns the expected errors into problems.</summary>
    public static async Task<IResult> GuardAsync(Func<Task<IResult>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return await action();
        }
        catch (DomainException e)
        {
            return Domain(e);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Concurrency();
        }
        catch (DirectoryUnavailableException)
        {
            return DirectoryUnavailable();
        }
    }

    /// <summary><c>ProviderName</c> → <c>terms.providerName</c>: the field as the API spells it.</summary>
    public static string TermsField(string field) =>
        "terms." + (string.IsNullOrEmpty(field) ? field : char.ToLowerInvariant(field[0]) + field[1..]);
}

/// <summary>What a submission of the terms still needs: the field (as the API spells it) and a sentence.</summary>
public sealed record ProblemDto(string Field, string Message);
