using System.Text.Encodings.Web;

namespace ApprovalBot.Teams.Tabs;

/// <summary>
/// What every Teams static tab of the bot shares (the Dashboard, Operations): the tab page is a shell with no data that
/// loads the Teams JavaScript library and <c>tab.js</c> from the bot (no CDN), signs in with Teams SSO and fetches the
/// feature's page with <c>Authorization: Bearer &lt;token&gt;</c> (see <c>tab.js</c>). Each feature serves the two
/// scripts under its own assets path (<see cref="Asset"/>), so a tab's page, shell and assets share one path prefix.
/// </summary>
public static class TeamsTab
{
    public const string Script = "tab.js";
    public const string TeamsJsAsset = "MicrosoftTeams-2.58.0.min.js";

    /// <summary>Sources Teams (web, desktop, Outlook and the Microsoft 365 app) frames tabs from.</summary>
    public const string FrameAncestors = "'self' https://teams.microsoft.com https://*.teams.microsoft.com https://teams.cloud.microsoft https://*.cloud.microsoft https://*.office.com https://*.microsoft365.com https://outlook.office.com";

    private static readonly HtmlEncoder Html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    private static readonly Dictionary<string, string> Resources = new(StringComparer.Ordinal)
    {
        [Script] = "tabs/tab.js",
        [TeamsJsAsset] = "tabs/MicrosoftTeams.min.js",
    };

    /// <summary>One of the shared scripts by its file name, or null when <paramref name="name"/> is not one of them.</summary>
    public static IResult? Asset(string name, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!Resources.TryGetValue(name, out var resource)) return null;
        var stream = typeof(TeamsTab).Assembly.GetManifestResourceStream(resource);
        if (stream is null) return null;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Stream(stream, "text/javascript; charset=utf-8");
    }

    /// <summary>
    /// The shell's script tags: the Teams library, then <c>tab.js</c> told which page to load (<paramref name="page"/>),
    /// into which element (<paramref name="rootId"/>, present in the shell and in every answer of the page), and the tab's
    /// name for the message shown outside Teams.
    /// </summary>
    public static string Scripts(string assetsPath, string page, string rootId, string tabName) =>
        $"<script src=\"{E(assetsPath)}/{TeamsJsAsset}\"></script>"
        + $"<script src=\"{E(assetsPath)}/{Script}\" data-page=\"{E(page)}\" data-root=\"{E(rootId)}\" data-tab=\"{E(tabName)}\" defer></script>";

    /// <summary>
    /// The strict headers of a tab's shell and of the pages a tab shows: same-origin styles (and scripts and fetches on the
    /// shell only), framed by Teams only, never cached.
    /// </summary>
    public static void Secure(HttpContext http, bool scripts)
    {
        ArgumentNullException.ThrowIfNull(http);
        var h = http.Response.Headers;
        h.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; "
            + (scripts ? "script-src 'self'; connect-src 'self'; " : "script-src 'none'; ")
            + $"form-action 'self'; base-uri 'none'; frame-ancestors {FrameAncestors}";
        h.XContentTypeOptions = "nosniff";
        h["Referrer-Policy"] = "no-referrer";
        h.CacheControl = "no-store";
    }

    private static string E(string text) => Html.Encode(text);
}
