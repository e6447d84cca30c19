using System.Globalization;
using System.Security.Claims;
using ApprovalBot.Api;
using ApprovalBot.Scheduling;
using ApprovalBot.Teams.Tabs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Operations;

/// <summary>
/// The operators' view (docs/operations.md): <c>/ops</c>, a server-rendered page of the durable timers, the outbox and the
/// instances, with Retry, Dismiss and Discard; <c>/ops/tab</c>, the same page as a Teams static tab (signed in with Teams
/// SSO, as the dashboard's tab: <see cref="TeamsTab"/>); <c>/ops/assets/*</c> (the stylesheet, the tabs' script and the
/// Teams library); and the same data under the API, <c>/api/v1/ops</c> (admin role). Access to the page:
/// <see cref="OperationsAccess"/>; its forms: <see cref="OperationsForms"/>. Every action is audited in
/// <c>operations_audit</c>.
/// </summary>
public static class OperationsModule
{
    public const string Path = "/ops";
    private const string Html = "text/html; charset=utf-8";

    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<OperationsOptions>().Bind(builder.Configuration.GetSection(OperationsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OperationsOptions>, OperationsOptionsValidator>();
        services.AddSingleton<OperationsAccess>();
        services.AddSingleton<TimerActivity>();
        services.AddTimerObserver<TimerActivityRecorder>();
        services.TryAddScoped<ScheduledTimers>();
        services.AddSingleton<InstanceCheckIn>();
        services.AddHostedService(sp => sp.GetRequiredService<InstanceCheckIn>());
        services.AddScoped<ShowOperations>();
        services.AddScoped<RetryTimer>();
        services.AddScoped<DismissTimerFailure>();
        services.AddScoped<ActOnOutboxMessage>();
        return builder;
    }

    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(Path, ShowAsync).ExcludeFromDescription();
        app.MapGet(Path + "/tab", (HttpContext http) =>
        {
            TeamsTab.Secure(http, scripts: true);
            return Results.Content(OperationsPage.TabShell(TeamsTab.Scripts(Path + "/assets", Path, OperationsPage.RootId, "Operations")), Html);
        }).ExcludeFromDescription();
        app.MapGet(Path + "/assets/{name}", (string name, HttpContext http) =>
        {
            if (TeamsTab.Asset(name, http) is { } script) return script;
            if (name != "ops.css") return Results.NotFound();
            var stream = typeof(OperationsModule).Assembly.GetManifestResourceStream("operations/ops.css");
            if (stream is null) return Results.NotFound();
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Stream(stream, "text/css; charset=utf-8");
        }).ExcludeFromDescription();
        app.MapPost(Path + "/timers/retry", (HttpContext http, RetryTimer retry) => ActAsync(http, (actor, form, ct) =>
            retry.HandleAsync(form["kind"].ToString(), form["subject"].ToString(), actor, ct))).ExcludeFromDescription();
        app.MapPost(Path + "/timers/dismiss", (HttpContext http, DismissTimerFailure dismiss) => ActAsync(http, (actor, form, ct) =>
            dismiss.HandleAsync(form["kind"].ToString(), form["subject"].ToString(), actor, ct))).ExcludeFromDescription();
        app.MapPost(Path + "/outbox/{id:long}/retry", (long id, HttpContext http, ActOnOutboxMessage outbox) => ActAsync(http, (actor, _, ct) =>
            outbox.RetryAsync(id, actor, ct))).ExcludeFromDescription();
        app.MapPost(Path + "/outbox/{id:long}/discard", (long id, HttpContext http, ActOnOutboxMessage outbox) => ActAsync(http, (actor, _, ct) =>
            outbox.DiscardAsync(id, actor, ct))).ExcludeFromDescription();

        var api = app.MapApiGroup();
        api.MapGet("/ops", (ShowOperations show, CancellationToken ct) => show.HandleAsync(ct))
            .RequireApiPolicy(ApiPolicies.Admin)
            .WithName("GetOperations").WithTags("Operations")
            .WithSummary("What the operations page shows: armed timers by kind, the next due, recent fires, misfires and failures; the outbox (pending, in retry, given up, sends in progress); the instances; health; recent operator actions.")
            .Produces<OperationsSnapshot>();
        api.MapPost("/ops/timers/{kind}/{subject}/retry", (string kind, string subject, ClaimsPrincipal user, RetryTimer retry, CancellationToken ct) =>
                ApiAnswerAsync(retry.HandleAsync(kind, subject, ApiActor(user), ct)))
            .RequireApiPolicy(ApiPolicies.Admin)
            .WithName("RetryTimer").WithTags("Operations")
            .WithSummary("Fires an armed timer now, once (its waiting retry is replaced). Audited.")
            .Produces<ActionAnswer>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/ops/timers/{kind}/{subject}/dismiss", (string kind, string subject, ClaimsPrincipal user, DismissTimerFailure dismiss, CancellationToken ct) =>
                ApiAnswerAsync(dismiss.HandleAsync(kind, subject, ApiActor(user), ct)))
            .RequireApiPolicy(ApiPolicies.Admin)
            .WithName("DismissTimerFailure").WithTags("Operations")
            .WithSummary("Removes a failed timer whose retries ran out (it is not armed any more) from the failed list. Audited.")
            .Produces<ActionAnswer>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/ops/outbox/{id:long}/retry", (long id, ClaimsPrincipal user, ActOnOutboxMessage act, CancellationToken ct) =>
                ApiAnswerAsync(act.RetryAsync(id, ApiActor(user), ct)))
            .RequireApiPolicy(ApiPolicies.Admin)
            .WithName("RetryOutboxMessage").WithTags("Operations")
            .WithSummary("Puts a given-up outbox message back in the queue, attempts reset; it is sent once. Audited.")
            .Produces<ActionAnswer>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/ops/outbox/{id:long}/discard", (long id, ClaimsPrincipal user, ActOnOutboxMessage act, CancellationToken ct) =>
                ApiAnswerAsync(act.DiscardAsync(id, ApiActor(user), ct)))
            .RequireApiPolicy(ApiPolicies.Admin)
            .WithName("DiscardOutboxMessage").WithTags("Operations")
            .WithSummary("Removes a given-up outbox message from the queue for good (kept for the record as Discarded). Audited.")
            .Produces<ActionAnswer>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>An action's answer on the API: <c>done</c> and what happened.</summary>
    public sealed record ActionAnswer(string Outcome, string Message);

    private static string ApiActor(ClaimsPrincipal user) => $"API key '{user.Identity?.Name}'";

    private static async Task<IResult> ApiAnswerAsync(Task<ActionResult> action)
    {
        var result = await action;
        return result.Outcome == ActionOutcome.Done
            ? Results.Ok(new ActionAnswer("done", result.Message))
            : Results.Problem(statusCode: result.StatusCode, title: result.Outcome == ActionOutcome.NotFound ? "Not Found" : "Conflict", detail: result.Message);
    }

    private static async Task<IResult> ShowAsync(HttpContext http, OperationsAccess access, ShowOperations show, IOptions<OperationsOptions> options, ILoggerFactory loggers)
    {
        Secure(http);
        var decision = await access.CheckAsync(http);
        if (!decision.Allowed) return Refuse(http, decision, loggers);
        var model = await show.HandleAsync(http.RequestAborted);
        return Results.Content(OperationsPage.Render(model, decision.Actor!, OperationsForms.Issue(http), options.Value.RefreshSeconds), Html);
    }

    private static async Task<IResult> ActAsync(HttpContext http, Func<string, IFormCollection, CancellationToken, Task<ActionResult>> act)
    {
        Secure(http);
        var services = http.RequestServices;
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var decision = await services.GetRequiredService<OperationsAccess>().CheckAsync(http);
        if (!decision.Allowed) return Refuse(http, decision, loggers);
        if (!http.Request.HasFormContentType)
            return Results.Content(OperationsPage.Refused("Send the page's form (application/x-www-form-urlencoded).", StatusCodes.Status400BadRequest), Html, statusCode: StatusCodes.Status400BadRequest);
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        // A post that carries its credential in a header (the Teams tab's fetch with its token, a script's API key) cannot
        // be forged by another site; the form guard protects the credential-less loopback page (OperationsForms).
        if (!decision.ByHeader && OperationsForms.Refusal(http, form) is { } forged)
        {
            var logger = loggers.CreateLogger(typeof(OperationsModule));
            OperationsLog.FormRefused(logger, forged, http.Connection.RemoteIpAddress);
            return Results.Content(OperationsPage.Refused(forged, StatusCodes.Status403Forbidden), Html, statusCode: StatusCodes.Status403Forbidden);
        }

        var result = await act(decision.Actor!, form, http.RequestAborted);
        var model = await services.GetRequiredService<ShowOperations>().HandleAsync(http.RequestAborted);
        var refresh = services.GetRequiredService<IOptions<OperationsOptions>>().Value.RefreshSeconds;
        return Results.Content(OperationsPage.Render(model, decision.Actor!, OperationsForms.Issue(http), refresh, (result.Message, result.Outcome == ActionOutcome.Done)),
            Html, statusCode: result.StatusCode);
    }

    private static IResult Refuse(HttpContext http, OperationsAccessResult decision, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(OperationsModule));
        OperationsLog.Refused(logger, decision.Status, decision.Refusal!, http.Connection.RemoteIpAddress);
        if (decision.Status == StatusCodes.Status401Unauthorized)
            http.Response.Headers.WWWAuthenticate = "ApiKey realm=\"ApprovalBot API\", Bearer realm=\"ApprovalBot operations\"";
        if (decision.Status == StatusCodes.Status503ServiceUnavailable) http.Response.Headers.RetryAfter = "30";
        return Results.Content(OperationsPage.Refused(decision.Refusal!, decision.Status), Html, statusCode: decision.Status);
    }

    /// <summary>Strict headers: same-origin styles, no script, forms post here only, never framed, never cached.</summary>
    private static void Secure(HttpContext http)
    {
        var h = http.Response.Headers;
        h.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
        h.XContentTypeOptions = "nosniff";
        h["Referrer-Policy"] = "no-referrer";
        h.CacheControl = "no-store";
    }
}

internal static partial class OperationsLog
{
    [LoggerMessage(EventId = 5303, Level = LogLevel.Information, Message = "Operations page refused ({Status}) from {RemoteAddress}: {Reason}")]
    public static partial void Refused(ILogger logger, int status, string reason, System.Net.IPAddress? remoteAddress);

    [LoggerMessage(EventId = 5304, Level = LogLevel.Warning, Message = "Operations form refused from {RemoteAddress}: {Reason}")]
    public static partial void FormRefused(ILogger logger, string reason, System.Net.IPAddress? remoteAddress);
}
