using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ApprovalBot.Api;

/// <summary>
/// RFC 7807 problem details, one shape for every API error: <c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>,
/// <c>instance</c> (the request path) and <c>traceId</c>; validation errors add <c>errors</c> (field → messages).
/// </summary>
internal static class ApiProblems
{
    /// <summary>Adds what every problem carries; plugged into <c>AddProblemDetails</c>.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Instance ??= context.HttpContext.Request.Path;
        problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? context.HttpContext.TraceIdentifier);
    }

    public static Task Write(HttpContext http, int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(http);

    public static IResult Validation(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] },
            title: "One or more fields are not valid.");

    public static IResult Validation(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: "One or more fields are not valid.");

    public static IResult NotFound(string detail) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: detail);
}
