using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ApprovalBot.Protocol.Auth;
using ApprovalBot.Protocol.Diagnostics;
using ApprovalBot.Protocol.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Protocol.Routing;

/// <summary>
/// <c>POST /api/messages</c>: size and content-type limits, strict parsing, authentication, redelivery
/// de-duplication, routing, and the invoke response (bot-protocol.md §1.1, §1.7, §2).
/// Every failure of the caller's making is a 4xx with a short JSON error and never a stack trace.
/// </summary>
public static partial class ActivityEndpoint
{
    public const string DefaultPattern = "/api/messages";

    public static IEndpointConventionBuilder MapBotMessages(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern)
    {
        // Build the route table now: a duplicate registration fails at start-up, not on the first message.
        _ = endpoints.ServiceProvider.GetRequiredService<ActivityRouteTable>();
        return endpoints.MapPost(pattern, HandleAsync).DisableAntiforgery().WithName("BotMessages");
    }

    /// <summary>Registers routing; features add their routes with <see cref="AddActivityRoutes"/>.</summary>
    public static IServiceCollection AddActivityRouting(this IServiceCollection services)
    {
        services.AddOptions<BotEndpointOptions>();
        services.AddSingleton(sp => new ActivityRouteTable(sp.GetServices<ActivityRouteBuilder>()));
        services.AddScoped<ActivityPipeline>();
#pragma warning disable RS0030 // Composition: the real clock is the default; a host or test registers its own first.
        services.TryAddSingleton(TimeProvider.System);
#pragma warning restore RS0030
        services.AddSingleton<UserTurnLimiter>();
        return services;
    }

    /// <summary>Adds a feature's routes. Handlers are registered as scoped services.</summary>
    public static IServiceCollection AddActivityRoutes(this IServiceCollection services, Action<ActivityRouteBuilder> configure)
    {
        var builder = new ActivityRouteBuilder();
        configure(builder);
        foreach (var registration in builder.Registrations)
            services.AddScoped(registration.HandlerType);
        if (builder.UnknownCommandHandler is not null)
            services.AddScoped(builder.UnknownCommandHandler);
        services.AddSingleton(builder);
        return services;
    }

    private static async Task HandleAsync(HttpContext http)
    {
        var services = http.RequestServices;
        var options = services.GetRequiredService<IOptions<BotEndpointOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ActivityEndpoint));
        var cancellationToken = http.RequestAborted;

        if (!http.Request.HasJsonContentType())
        {
            services.GetService<ProtocolMetrics>()?.Unreadable(UnreadableReasons.UnsupportedMediaType);
            await WriteErrorAsync(http, StatusCodes.Status415UnsupportedMediaType, "UnsupportedMediaType", "The body must be application/json.");
            return;
        }

        var body = await ReadBodyAsync(http, options.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            services.GetService<ProtocolMetrics>()?.Unreadable(UnreadableReasons.PayloadTooLarge);
            await WriteErrorAsync(http, StatusCodes.Status413PayloadTooLarge, "PayloadTooLarge", $"The body is larger than {options.MaxBodyBytes} bytes.");
            return;
        }

        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize<Activity>(body.Value.Span, ProtocolJson.Options);
        }
        catch (JsonException ex)
        {
            LogMalformed(logger, ex.LineNumber, ex.BytePositionInLine);
            services.GetService<ProtocolMetrics>()?.Unreadable(UnreadableReasons.Malformed);
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, "BadRequest", "The body is not a valid activity (malformed JSON or a field of the wrong type).");
            return;
        }

        if (activity is null || string.IsNullOrWhiteSpace(activity.Type))
        {
            services.GetService<ProtocolMetrics>()?.Unreadable(UnreadableReasons.NoType);
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, "BadRequest", "The activity has no type.");
            return;
        }
        RemoveNullElements(activity);

        var authenticator = services.GetRequiredService<IInboundAuthenticator>();
        var forwarded = LocalDevelopmentPolicy.IsForwarded(http.Request.Headers);
        var auth = await authenticator.AuthenticateAsync(
            InboundAuthRequest.ForActivity(
                activity,
                http.Request.Headers.Authorization.Count == 1 ? http.Request.Headers.Authorization.ToString() : null,
                http.Connection.RemoteIpAddress,
                forwarded),
            cancellationToken);
        if (!auth.Succeeded)
        {
            services.GetService<ProtocolMetrics>()?.AuthFailed(activity, auth.Reason);
            if (auth.StatusCode == StatusCodes.Status503ServiceUnavailable)
                http.Response.Headers.RetryAfter = "5";
            await WriteErrorAsync(http, auth.StatusCode, AuthErrorCode(auth.StatusCode), auth.PublicMessage ?? "The request is not authorized.");
            return;
        }

        if (string.Equals(activity.DeliveryMode, "expectReplies", StringComparison.OrdinalIgnoreCase))
        {
            services.GetService<ProtocolMetrics>()?.Rejected(activity);
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, "NotSupported", "deliveryMode expectReplies is not supported.");
            return;
        }

        if (!HasRequiredFields(activity, out var missing))
        {
            services.GetService<ProtocolMetrics>()?.Rejected(activity);
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, "BadRequest", $"The activity has no {missing}.");
            return;
        }

        var pipeline = services.GetRequiredService<ActivityPipeline>();
        try
        {
            var response = await pipeline.ProcessAsync(activity, auth.Identity!, cancellationToken);
            if (response is null)
            {
                http.Response.StatusCode = StatusCodes.Status200OK;
                return;
            }
            http.Response.StatusCode = response.Status;
            if (response.Body is not null)
                await http.Response.WriteAsync(response.Body.ToJsonString(ProtocolJson.Options), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller went away; nothing was committed that a redelivery would not redo.
        }
        catch (Exception ex) when (options.IsTransient(ex))
        {
            LogTransient(logger, activity.Type, ex);
            http.Response.Headers.RetryAfter = "5";
            await WriteErrorAsync(http, StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable", "The bot cannot reach its database right now. Try again shortly.");
        }
        catch (Exception ex)
        {
            LogHandlerFailed(logger, activity.Type, activity.Name, ex);
            if (activity.IsType(ActivityTypes.Invoke))
            {
                http.Response.StatusCode = StatusCodes.Status200OK;
                var error = InvokeResponse.Error(500, "InternalError", "Something went wrong on our side. Nothing was changed; please try again.");
                await http.Response.WriteAsync(error.Body!.ToJsonString(ProtocolJson.Options), CancellationToken.None);
            }
            else
            {
                await WriteErrorAsync(http, StatusCodes.Status500InternalServerError, "InternalError", "The activity could not be processed.");
            }
        }
    }

    private static string AuthErrorCode(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "Unauthorized",
        StatusCodes.Status503ServiceUnavailable => "ServiceUnavailable",
        _ => "Forbidden",
    };

    /// <summary>
    /// Routing needs a conversation and, to reply, a service URL and a sender; ids longer than any Teams id are
    /// refused here rather than failing later in the database.
    /// </summary>
    private static bool HasRequiredFields(Activity activity, out string missing)
    {
        missing = "";
        if (string.IsNullOrWhiteSpace(activity.Conversation?.Id)) missing = "conversation.id";
        else if (string.IsNullOrWhiteSpace(activity.ServiceUrl)) missing = "serviceUrl";
        else if (!Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            missing = "valid serviceUrl";
        else if (string.IsNullOrWhiteSpace(activity.From?.Id)) missing = "from.id";
        else if (TooLong(activity.Conversation!.Id, 512)) missing = "conversation.id of at most 512 characters";
        else if (TooLong(activity.ServiceUrl, 1024)) missing = "serviceUrl of at most 1024 characters";
        else if (TooLong(activity.Id, 256) || TooLong(activity.From!.Id, 256) || TooLong(activity.Recipient?.Id, 256) || TooLong(activity.ReplyToId, 256))
            missing = "ids of at most 256 characters";
        else if (TooLong(activity.TenantId, 128) || TooLong(activity.ChannelId, 64) || TooLong(activity.From.AadObjectId, 128) || TooLong(activity.Type, 64))
            missing = "tenant, channel and type of ordinary length";
        else if (HasControl(activity.Conversation.Id) || HasControl(activity.ServiceUrl) || HasControl(activity.Id) || HasControl(activity.From.Id)
                 || HasControl(activity.From.AadObjectId) || HasControl(activity.Recipient?.Id) || HasControl(activity.TenantId)
                 || HasControl(activity.ChannelId) || HasControl(activity.ReplyToId) || HasControl(activity.Type))
            missing = "ids without control characters";
        return missing.Length == 0;
    }

    private static bool TooLong(string? value, int max) => value is not null && value.Length > max;

    /// <summary>No Teams id contains control characters; PostgreSQL cannot even store NUL in text.</summary>
    private static bool HasControl(string? value) => value is not null && value.Any(char.IsControl);

    /// <summary>JSON lists may carry nulls (<c>"entities":[null]</c>); nothing downstream should have to care.</summary>
    private static void RemoveNullElements(Activity activity)
    {
        static IList<T>? Clean<T>(IList<T>? list) where T : class =>
            list is null || !list.Any(x => x is null) ? list : list.Where(x => x is not null).ToList();
        activity.Entities = Clean(activity.Entities);
        activity.Attachments = Clean(activity.Attachments);
        activity.MembersAdded = Clean(activity.MembersAdded);
        activity.MembersRemoved = Clean(activity.MembersRemoved);
    }

    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpContext http, int maxBytes, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > maxBytes) return null;
        var sizeFeature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false }) sizeFeature.MaxRequestBodySize = maxBytes + 1L;

        using var buffer = new MemoryStream(capacity: (int)Math.Min(http.Request.ContentLength ?? 4096, maxBytes));
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes) return null;
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        return buffer.ToArray();
    }

    internal static Task WriteErrorAsync(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        var body = new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };
        return http.Response.WriteAsync(body.ToJsonString(ProtocolJson.Options), CancellationToken.None);
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Rejected a malformed activity body (line {Line}, byte {Position})")]
    private static partial void LogMalformed(ILogger logger, long? line, long? position);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "A {ActivityType} activity hit a transient failure; answered 503")]
    private static partial void LogTransient(ILogger logger, string? activityType, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Handling a {ActivityType} activity (name {Name}) failed")]
    private static partial void LogHandlerFailed(ILogger logger, string? activityType, string? name, Exception exception);
}
