using System.Security.Cryptography;
using System.Text;

namespace ApprovalBot.Operations;

/// <summary>
/// Cross-site request forgery protection for the page's forms, which must hold for a page open to loopback without
/// credentials in local development mode (any site the developer visits could otherwise post a form to
/// <c>http://localhost:…/ops/…</c>). Two checks, both needed:
/// <list type="number">
/// <item>A double-submit token: the page sets a random value in a <c>SameSite=Strict</c>, HttpOnly cookie and writes the same
/// value into each form; a post must carry both, equal. A cross-site post carries no such cookie (Strict), and another site
/// cannot read the page to learn the value. No server-side secret, so it works whichever instance serves the post.</item>
/// <item>The browser's own word: an <c>Origin</c> header, when sent, must be this page's origin, and
/// <c>Sec-Fetch-Site</c>, when sent, must be <c>same-origin</c> (or <c>none</c>: typed by the user).</item>
/// </list>
/// The JSON API needs neither: it authenticates with a header (an API key) that a cross-site form cannot send. The same
/// holds for a form post that carries its credential in a header — the Teams tab (<c>/ops/tab</c>) posts its forms with
/// <c>fetch</c> and <c>Authorization: Bearer &lt;Teams token&gt;</c>, a script with its API key — so those skip this
/// guard (<see cref="OperationsAccessResult.ByHeader"/>): inside the Teams frame the page is a third-party context, where
/// a <c>SameSite=Strict</c> cookie is never sent, and a cross-site request cannot set an Authorization header without a
/// CORS preflight the bot does not answer.
/// </summary>
public static class OperationsForms
{
    public const string CookieName = "approvalbot-ops-form";
    public const string FieldName = "_form";

    /// <summary>The token for the page's forms: the caller's cookie when it holds a well-formed one, else a new one, set now.</summary>
    public static string Issue(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Request.Cookies.TryGetValue(CookieName, out var existing) && IsWellFormed(existing)) return existing;
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        http.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = OperationsModule.Path,
            IsEssential = true,
        });
        return token;
    }

    /// <summary>Null when the post is this page's own; otherwise why it is refused.</summary>
    public static string? Refusal(HttpContext http, IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(form);
        var headers = http.Request.Headers;
        var origin = headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, $"{http.Request.Scheme}://{http.Request.Host}", StringComparison.OrdinalIgnoreCase))
            return "The form was posted from another site.";
        var site = headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
            return "The form was posted from another site.";
        var cookie = http.Request.Cookies[CookieName];
        var field = form[FieldName].ToString();
        if (!IsWellFormed(cookie) || !IsWellFormed(field)
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie!), Encoding.ASCII.GetBytes(field)))
            return "The form has expired or did not come from this page: reload the page and try again.";
        return null;
    }

    private static bool IsWellFormed(string? token) => token is { Length: 32 } && token.All(char.IsAsciiHexDigitLower);
}
