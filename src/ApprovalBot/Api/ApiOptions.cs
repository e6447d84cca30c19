namespace ApprovalBot.Api;

/// <summary>The <c>Api</c> configuration section: the keys other systems call with, and how the API behaves around them.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>The accepted keys. None configured: every API call is answered 401.</summary>
    public IList<ApiKeyOptions> Keys { get; } = [];

    /// <summary>How long a refused key waits before it is answered: slows guessing, costs a real caller nothing.</summary>
    public TimeSpan FailureDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Requests one API key may make per minute, on average, per instance (a token bucket refilled at this rate); 0
    /// turns the limit off. Beyond it a call is answered 429 with <c>Retry-After</c>.
    /// </summary>
    public int RequestsPerMinute { get; set; } = 600;

    /// <summary>Requests one API key may make at once before <see cref="RequestsPerMinute"/> applies (the bucket's size).</summary>
    public int Burst { get; set; } = 60;

    /// <summary>Who may read <c>/openapi/v1.json</c>: <see cref="ApiDocsAccess.Auto"/> opens it in Development only.</summary>
    public ApiDocsAccess DocsAccess { get; set; } = ApiDocsAccess.Auto;
}

/// <summary>Access to the OpenAPI document (the <c>/api/docs</c> page itself holds no data and is always served).</summary>
public enum ApiDocsAccess
{
    /// <summary>Open in the Development environment, <see cref="ReadRole"/> everywhere else.</summary>
    Auto,
    /// <summary>Anyone may read the document.</summary>
    Open,
    /// <summary>Only a key with the read role (or more).</summary>
    ReadRole,
}

/// <summary>One API key: who it is (a name for logs and audits), the secret (plain or its SHA-256), and its roles.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>Shown in logs and as the caller's name; never the secret itself.</summary>
    public string? Name { get; set; }

    /// <summary>The plain key. Convenient in development; in production prefer <see cref="KeyHash"/>.</summary>
    public string? Key { get; set; }

    /// <summary>The SHA-256 of the key's UTF-8 bytes, as 64 hexadecimal digits (what <c>sha256sum</c> prints).</summary>
    public string? KeyHash { get; set; }

    /// <summary><c>read</c>, <c>write</c>, <c>admin</c>; each includes the ones before it.</summary>
    public IList<string> Roles { get; } = [];
}
