using System.Text.RegularExpressions;

namespace ApprovalBot.UnitTests.Configuration;

/// <summary>
/// Finds secret-looking text in a file, comments included: a file that documents configuration is copied, pasted and
/// committed, so a real value in a comment leaks as surely as one in a key. A placeholder is empty or <c>&lt;…&gt;</c>.
/// </summary>
internal static partial class SecretScan
{
    public static IReadOnlyList<string> Find(string text)
    {
        var findings = new List<string>();

        foreach (Match m in ConnectionStringPassword().Matches(text))
        {
            if (!IsPlaceholder(m.Groups["value"].Value))
                findings.Add($"connection-string password with a value: {m.Value}");
        }

        foreach (Match m in SecretJsonProperty().Matches(text))
        {
            if (!IsPlaceholder(m.Groups["value"].Value))
                findings.Add($"secret-named key with a value: {m.Value}");
        }

        foreach (Match m in SecretAssignment().Matches(text))
        {
            if (!IsPlaceholder(m.Groups["value"].Value))
                findings.Add($"secret-named setting assigned a value: {m.Value}");
        }

        foreach (Match m in EntraClientSecret().Matches(text))
            findings.Add($"looks like an Entra client secret: {m.Value[..6]}…");

        return findings;
    }

    private static bool IsPlaceholder(string value) => value.Length == 0 || Placeholder().IsMatch(value) || value is "…" or "...";

    [GeneratedRegex(@"^<[^<>]+>$")]
    private static partial Regex Placeholder();

    /// <summary><c>Password=…</c> or <c>Pwd=…</c> inside a connection string, up to the next separator.</summary>
    [GeneratedRegex(@"(?i)\b(?:password|pwd)\s*=\s*(?<value>[^;""'`\s|]*)")]
    private static partial Regex ConnectionStringPassword();

    /// <summary><c>"…Password": "…"</c>, <c>"ClientSecret": "…"</c> and friends, as JSON.</summary>
    [GeneratedRegex(@"(?i)""[^""]*(?:password|secret|apikey|api_key|accesskey|privatekey)[^""]*""\s*:\s*""(?<value>[^""]*)""")]
    private static partial Regex SecretJsonProperty();

    /// <summary>Environment-variable or command-line style: <c>MicrosoftAppPassword=abc</c>, <c>--MicrosoftAppPassword abc</c>, <c>user-secrets set MicrosoftAppPassword abc</c>.</summary>
    [GeneratedRegex(@"(?i)(?:\b(?:MicrosoftAppPassword|ClientSecret)\s*=\s*|(?:--|\bset\s+)(?:MicrosoftAppPassword|ClientSecret)\s+)(?<value>[^\s`|;""']+)")]
    private static partial Regex SecretAssignment();

    /// <summary>The shape of an Entra ID client secret value: three characters, a digit, <c>Q~</c>, then 31 or more.</summary>
    [GeneratedRegex(@"[A-Za-z0-9_.\-~]{3}[0-9]Q~[A-Za-z0-9_.\-~]{31,}")]
    private static partial Regex EntraClientSecret();
}
