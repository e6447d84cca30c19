using System.Globalization;
using ApprovalBot.Protocol.Routing;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Api;

/// <summary>
/// A token bucket per API key (<see cref="ApiOptions.Burst"/> calls at once, refilled at
/// <see cref="ApiOptions.RequestsPerMinute"/>), per instance and in memory, like the per-user command limit: with N
/// instances behind a load balancer a key's ceiling is up to N times the setting. Keys are few and configured, so the
/// table cannot grow with traffic.
/// </summary>
public sealed class ApiRateLimiter(TimeProvider time, IOptions<ApiOptions> options)
{
    private readonly TokenBuckets _buckets = new(time);

    public TurnAdmission Admit(string keyName)
    {
        var o = options.Value;
        return _buckets.Take(keyName, o.RequestsPerMinute, o.Burst);
    }
}

/// <summary>
/// Runs after authentication and authorization on every <c>/api/v1</c> operation (<see cref="ApiPolicies"/>): a key over
/// its limit is answered 429 with <c>Retry-After</c> and a problem body, and the operation does not run. Unauthenticated
/// calls never get here (the failure delay slows those).
/// </summary>
internal sealed class ApiRateLimitFilter(ApiRateLimiter limiter, ILogger<ApiRateLimitFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var key = context.HttpContext.User.Identity?.Name;
        if (key is null) return await next(context);
        var admission = limiter.Admit(key);
        if (admission.Admitted) return await next(context);

        var seconds = Math.Max(1, (int)Math.Ceiling(admission.RetryAfter.TotalSeconds));
        if (admission.FirstRefusal) ApiLog.RateLimited(logger, key, seconds);
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        // ASP.NET Core has no default problem type for 429; RFC 6585 defines the status.
        return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests",
            type: "https://www.rfc-editor.org/rfc/rfc6585#section-4",
            detail: $"This API key made more calls than its limit allows. Try again in {seconds} s.");
    }
}
