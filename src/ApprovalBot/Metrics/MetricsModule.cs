using System.Diagnostics.Metrics;
using ApprovalBot.Protocol.Diagnostics;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Metrics;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format (docs/metrics.md): the bot's <see cref="System.Diagnostics.Metrics"/>
/// instruments (<see cref="ProtocolMetrics"/>, <see cref="BotMetrics"/>), collected by <see cref="MetricsCollector"/>,
/// written by <see cref="PrometheusText"/>, behind <see cref="MetricsAccess"/>.
/// </summary>
public static partial class MetricsModule
{
    public const string Path = "/metrics";

    public static IHostApplicationBuilder AddMetrics(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddMetrics();
        services.AddOptions<MetricsOptions>().Bind(builder.Configuration.GetSection(MetricsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        services.AddSingleton(sp => new MetricsCollector(sp.GetRequiredService<IMeterFactory>(), ProtocolMetrics.MeterName));
        services.AddSingleton<ProtocolMetrics>();
        services.AddSingleton<MetricsGauges>();
        services.AddSingleton<BotMetrics>();
        services.AddSingleton<MetricsAccess>();
        return builder;
    }

    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(Path, ScrapeAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task ScrapeAsync(HttpContext http, MetricsAccess access, MetricsCollector collector, MetricsGauges gauges,
        ProtocolMetrics protocol, BotMetrics bot, ILogger<MetricsCollector> logger)
    {
        // protocol and bot are asked for so that their instruments exist from the first scrape on (at zero).
        _ = (protocol, bot);
        var check = await access.CheckAsync(http);
        if (!check.Allowed)
        {
            LogRefused(logger, http.Connection.RemoteIpAddress, check.Refusal!);
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers.WWWAuthenticate = "ApiKey realm=\"ApprovalBot metrics\"";
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(check.Refusal + "\n", http.RequestAborted);
            return;
        }
        await gauges.RefreshIfStaleAsync(http.RequestAborted);
        var text = PrometheusText.Write(collector.Collect());
        http.Response.ContentType = PrometheusText.ContentType;
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.WriteAsync(text, http.RequestAborted);
    }

    [LoggerMessage(EventId = 4971, Level = LogLevel.Information, Message = "Refused a /metrics scrape from {RemoteAddress}: {Reason}")]
    private static partial void LogRefused(ILogger logger, System.Net.IPAddress? remoteAddress, string reason);
}
