using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Operations;

namespace ApprovalBot.IntegrationTests.Operations;

/// <summary>
/// Talks to <c>/ops</c> and <c>/api/v1/ops</c> through the real endpoint, as an operator's browser or script would: GETs
/// the page (keeping its form cookie and token, as a browser keeps the cookie), posts its forms back with both, and
/// reads the JSON.
/// </summary>
internal sealed partial class OpsClient(BotTestHost bot, string? apiKey = null, string? authorization = null)
{
    public string? FormToken { get; private set; }
    public string? FormCookie { get; private set; }

    public async Task<(HttpStatusCode Status, string Body)> GetPageAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, OperationsModule.Path);
        Authenticate(request);
        using var response = await bot.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            foreach (var cookie in cookies)
            {
                var match = CookiePattern().Match(cookie);
                if (match.Success) FormCookie = match.Groups["value"].Value;
            }
        }
        var token = TokenPattern().Match(body);
        // A page with no form on it carries the token only in its cookie (the same value).
        FormToken = token.Success ? token.Groups["token"].Value : FormCookie;
        return (response.StatusCode, body);
    }

    /// <summary>Posts a form of the page, with the page's token and cookie unless told otherwise.</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>>? fields = null, string? token = "page", string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        Authenticate(request);
        var all = new List<KeyValuePair<string, string>>(fields ?? []);
        var sent = token == "page" ? FormToken : token;
        if (sent is not null) all.Add(new(OperationsForms.FieldName, sent));
        request.Content = new FormUrlEncodedContent(all);
        if (origin is not null) request.Headers.TryAddWithoutValidation("Origin", origin);
        if (FormCookie is not null) request.Headers.TryAddWithoutValidation("Cookie", $"{OperationsForms.CookieName}={FormCookie}");
        using var response = await bot.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<(HttpStatusCode Status, JsonNode? Json)> GetJsonAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/ops");
        Authenticate(request);
        using var response = await bot.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async Task<(HttpStatusCode Status, JsonNode? Json)> PostApiAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/ops" + path);
        Authenticate(request);
        using var response = await bot.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private void Authenticate(HttpRequestMessage request)
    {
        if (apiKey is not null) request.Headers.TryAddWithoutValidation("X-Api-Key", apiKey);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
    }

    [GeneratedRegex("approvalbot-ops-form=(?<value>[0-9a-f]{32})")]
    private static partial Regex CookiePattern();

    [GeneratedRegex("name=\"_form\" value=\"(?<token>[0-9a-f]{32})\"")]
    private static partial Regex TokenPattern();
}
