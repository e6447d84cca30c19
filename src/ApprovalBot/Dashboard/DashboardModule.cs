using System.Globalization;
using ApprovalBot.Domain.Kpis;
using ApprovalBot.Protocol.Auth;
using ApprovalBot.Teams.Tabs;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Dashboard;

/// <summary>
/// The read-only KPI dashboard (docs/dashboard.md): <c>/dashboard</c> (the page), <c>/dashboard/tab</c> (the Teams tab,
/// which signs in with Teams SSO and loads the page with the token: <see cref="TeamsTab"/>) and <c>/dashboard/assets/*</c>
/// (stylesheet, the tabs' script and the Teams JavaScript library, all embedded and served from here: no CDN). Access:
/// <see cref="DashboardAccess"/>.
/// </summary>
public static class DashboardModule
{
    public const string Path = "/dashboard";

    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<DashboardOptions>().Bind(builder.Configuration.GetSection(DashboardOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>();
        TeamsTabTokenValidator.Register(services, sp =>
        {
            var o = sp.GetRequiredService<IOptions<DashboardOptions>>().Value;
            if (string.IsNullOrEmpty(o.AppIdUri)) return null;
            var bot = sp.GetRequiredService<IOptions<BotAuthenticationOptions>>().Value;
            var app = sp.GetRequiredService<IOptions<MicrosoftAppOptions>>().Value;
            return new TeamsTabTokenSettings
            {
                AppIdUri = o.AppIdUri,
                ClientId = app.MicrosoftAppId!,
                AllowedTenantIds = DashboardOptions.EffectiveTenants(o, bot, app),
                OpenIdMetadataUrl = o.OpenIdMetadataUrl,
                RequiredScope = o.RequiredScope,
                ClockSkew = bot.ClockSkew,
                MetadataRefreshInterval = bot.MetadataRefreshInterval,
                MinimumKeyRefreshInterval = bot.MinimumKeyRefreshInterval,
                MetadataRetryInterval = bot.MetadataRetryInterval,
            };
        });
        services.AddSingleton<DashboardAccess>();
        services.AddScoped<ShowDashboard>();
        return builder;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(Path, ShowAsync).ExcludeFromDescription();
        app.MapGet(Path + "/tab", (HttpContext http) =>
        {
            TeamsTab.Secure(http, scripts: true);
            return Results.Content(DashboardPage.Message("KPI dashboard", "Loading…",
                extraHead: TeamsTab.Scripts(Path + "/assets", Path, rootId: "dashboard", tabName: "Dashboard")),
                "text/html; charset=utf-8");
        }).ExcludeFromDescription();
        app.MapGet(Path + "/assets/{name}", (string name, HttpContext http) =>
        {
            if (TeamsTab.Asset(name, http) is { } script) return script;
            if (name != "dashboard.css") return Results.NotFound();
            var stream = typeof(DashboardModule).Assembly.GetManifestResourceStream("dashboard/dashboard.css");
            if (stream is null) return Results.NotFound();
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Stream(stream, "text/css; charset=utf-8");
        }).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ShowAsync(HttpContext http, DashboardAccess access, ShowDashboard dashboard, ILoggerFactory loggers)
    {
        TeamsTab.Secure(http, scripts: false);
        var logger = loggers.CreateLogger(typeof(DashboardModule));
        var decision = await access.CheckAsync(http);
        if (!decision.Allowed)
        {
            DashboardLog.Refused(logger, decision.Refusal!, http.Connection.RemoteIpAddress);
            if (decision.Unavailable)
            {
                http.Response.Headers.RetryAfter = "30";
                return Results.Content(DashboardPage.Unauthorized(decision.Refusal!), "text/html; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"ApprovalBot dashboard\", ApiKey realm=\"ApprovalBot API\"";
            return Results.Content(DashboardPage.Unauthorized(decision.Refusal!), "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
        }

        var query = http.Request.Query;
        long? agreementId = null;
        var agreement = query["agreement"].ToString();
        if (agreement.Length > 0)
        {
            if (!long.TryParse(agreement, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                return Results.Content(DashboardPage.Message("KPI dashboard", "agreement must be an agreement id (a number)."), "text/html; charset=utf-8", statusCode: 400);
            agreementId = id;
        }

        var trend = query["trend"].ToString();
        TrendBucket bucket;
        if (trend.Length == 0 || string.Equals(trend, "week", StringComparison.OrdinalIgnoreCase)) bucket = TrendBucket.Week;
        else if (string.Equals(trend, "month", StringComparison.OrdinalIgnoreCase)) bucket = TrendBucket.Month;
        else return Results.Content(DashboardPage.Message("KPI dashboard", "trend must be week or month."), "text/html; charset=utf-8", statusCode: 400);

        var model = await dashboard.HandleAsync(new ShowDashboardInput(agreementId, query["period"].ToString(), bucket), http.RequestAborted);
        var status = model.NotFound ? StatusCodes.Status404NotFound : model.Error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        return Results.Content(DashboardPage.Render(model, decision.Viewer!), "text/html; charset=utf-8", statusCode: status);
    }
}

internal static partial class DashboardLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Dashboard refused from {RemoteAddress}: {Reason}")]
    public static partial void Refused(ILogger logger, string reason, System.Net.IPAddress? remoteAddress);
}
