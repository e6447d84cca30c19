using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ApprovalBot.Teams.Manifest;

/// <summary>One reason a package cannot be built; <see cref="Placeholder"/> names the value at fault, if any.</summary>
internal sealed record ManifestProblem(string? Placeholder, string Message)
{
    public override string ToString() => Placeholder is null ? Message : $"{Placeholder}: {Message}";
}

/// <summary>A Teams app package: the zip to upload and the filled manifest inside it.</summary>
internal sealed record ManifestPackage(ReadOnlyMemory<byte> Zip, string ManifestJson);

internal sealed class ManifestPackageResult
{
    private ManifestPackageResult(ManifestPackage? package, IReadOnlyList<ManifestProblem> problems)
    {
        Package = package;
        Problems = problems;
    }

    public ManifestPackage? Package { get; }

    public IReadOnlyList<ManifestProblem> Problems { get; }

    [MemberNotNullWhen(true, nameof(Package))]
    public bool Succeeded => Package is not null;

    public static ManifestPackageResult Success(ManifestPackage package) => new(package, []);

    public static ManifestPackageResult Failure(IReadOnlyList<ManifestProblem> problems) => new(null, problems);
}

/// <summary>
/// Builds the Teams app package: fills the manifest template, checks the values and icons, and zips
/// <c>manifest.json</c>, <c>color.png</c> and <c>outline.png</c> at the zip root. A pure function: no clock,
/// no file system; the same inputs give the same bytes.
/// </summary>
internal static partial class ManifestPackager
{
    public const string ManifestEntry = "manifest.json";
    public const string ColorIconEntry = "color.png";
    public const string OutlineIconEntry = "outline.png";
    public const int ColorIconSize = 192;
    public const int OutlineIconSize = 32;
    public const int DeveloperNameMaxLength = 32;
    public const int UrlMaxLength = 2048;

    /// <summary>
    /// The namespace of the name-based (RFC 9562 version 5) UUID that turns a Microsoft App ID into the default
    /// Teams app id. Fixed for ApprovalBot: changing it changes every derived Teams app id, and Teams then treats
    /// a re-packaged app as a different app.
    /// </summary>
    public static readonly Guid TeamsAppIdNamespace = new("41f1fd69-fd9a-4e34-9dde-6a764487d99c");

    // Zip entries carry a timestamp; a fixed one keeps packages reproducible (and keeps clocks out of a pure function).
    private static readonly DateTimeOffset EntryTimestamp = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions OutputOptions = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        // The file is read by Teams, not embedded in HTML: keep "&", "'" and non-ASCII readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static ManifestPackageResult Package(ManifestTemplate template, ManifestValues values)
    {
        var problems = new List<ManifestProblem>();
        ValidateValues(values, problems);
        CheckIcon(template.ColorPng.Span, ColorIconEntry, ColorIconSize, needsTransparency: false, problems);
        CheckIcon(template.OutlinePng.Span, OutlineIconEntry, OutlineIconSize, needsTransparency: true, problems);

        var manifestJson = Fill(template.ManifestJson, values.ByPlaceholder(), problems);
        if (problems.Count > 0 || manifestJson is null)
        {
            return ManifestPackageResult.Failure(problems);
        }

        var zip = Zip(
            (ManifestEntry, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(manifestJson)),
            (ColorIconEntry, template.ColorPng),
            (OutlineIconEntry, template.OutlinePng));
        return ManifestPackageResult.Success(new ManifestPackage(zip, manifestJson));
    }

    /// <summary>
    /// The default Teams app id for a bot: the version-5 UUID of the lower-case, hyphenated Microsoft App ID
    /// in <see cref="TeamsAppIdNamespace"/>. Stable, so re-packaging updates the same Teams app; distinct from the
    /// bot id. Reproduce with Python: <c>uuid.uuid5(uuid.UUID("41f1fd69-fd9a-4e34-9dde-6a764487d99c"), app_id.lower())</c>.
    /// </summary>
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms",
        Justification = "RFC 9562 defines version-5 UUIDs with SHA-1; this names an id, it protects nothing.")]
    public static Guid DeriveTeamsAppId(Guid microsoftAppId)
    {
        var name = Encoding.UTF8.GetBytes(microsoftAppId.ToString("D", CultureInfo.InvariantCulture));
        var input = new byte[16 + name.Length];
        TeamsAppIdNamespace.TryWriteBytes(input, bigEndian: true, out _);
        name.CopyTo(input, 16);

        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(hash[..16], bigEndian: true);
    }

    private static void ValidateValues(ManifestValues values, List<ManifestProblem> problems)
    {
        CheckGuid(ManifestPlaceholders.TeamsAppId, values.TeamsAppId, problems);
        CheckGuid(ManifestPlaceholders.MicrosoftAppId, values.MicrosoftAppId, problems);
        if (DomainProblem(values.BotDomain) is { } domainProblem)
        {
            problems.Add(new(ManifestPlaceholders.BotDomain, domainProblem));
        }

        if (!SemanticVersion().IsMatch(values.Version))
        {
            problems.Add(new(ManifestPlaceholders.AppVersion,
                $"must be a version MAJOR.MINOR.PATCH of plain numbers, e.g. 1.0.0 (got '{values.Version}')"));
        }

        var name = values.DeveloperName;
        if (string.IsNullOrWhiteSpace(name) || name.Length > DeveloperNameMaxLength || name.Any(char.IsControl) || name.Trim() != name)
        {
            problems.Add(new(ManifestPlaceholders.DeveloperName,
                $"must be 1 to {DeveloperNameMaxLength} characters of text without leading or trailing spaces (got '{name}')"));
        }

        CheckHttpsUrl(ManifestPlaceholders.DeveloperWebsiteUrl, values.WebsiteUrl, problems);
        CheckHttpsUrl(ManifestPlaceholders.DeveloperPrivacyUrl, values.PrivacyUrl, problems);
        CheckHttpsUrl(ManifestPlaceholders.DeveloperTermsUrl, values.TermsOfUseUrl, problems);
    }

    private static void CheckGuid(string placeholder, string value, List<ManifestProblem> problems)
    {
        if (value.Length != 36 || !Guid.TryParseExact(value, "D", out var guid))
        {
            problems.Add(new(placeholder, $"must be a GUID like 6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c (got '{value}')"));
        }
        else if (guid == Guid.Empty)
        {
            problems.Add(new(placeholder, "must not be the all-zero GUID"));
        }
    }

    /// <summary>A host name as Teams and Entra take it: no scheme, path, port, wildcard or spaces.</summary>
    private static string? DomainProblem(string domain)
    {
        if (string.IsNullOrEmpty(domain))
        {
            return "must be the bot's host name, e.g. approvalbot.contoso.com (got nothing)";
        }

        if (domain.Contains("://", StringComparison.Ordinal))
        {
            return $"must be a host name without a scheme, e.g. approvalbot.contoso.com (got '{domain}')";
        }

        if (domain.Length > 253 || !HostName().IsMatch(domain))
        {
            return $"must be a host name like approvalbot.contoso.com: letters, digits, '-' and '.', no path, port or wildcard (got '{domain}')";
        }

        return null;
    }

    private static void CheckHttpsUrl(string placeholder, string value, List<ManifestProblem> problems)
    {
        if (value.Length > UrlMaxLength
            || !Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps
            || string.IsNullOrEmpty(uri.Host)
            || value.Any(char.IsWhiteSpace))
        {
            problems.Add(new(placeholder, $"must be an absolute https:// URL of at most {UrlMaxLength} characters (got '{value}')"));
        }
    }

    private static void CheckIcon(ReadOnlySpan<byte> png, string entry, int size, bool needsTransparency, List<ManifestProblem> problems)
    {
        if (!PngHeader.TryRead(png, out var header))
        {
            problems.Add(new(null, $"{entry} is not a PNG file"));
            return;
        }

        if (header.Width != size || header.Height != size)
        {
            problems.Add(new(null, $"{entry} must be {size}x{size} pixels (is {header.Width}x{header.Height})"));
        }

        if (needsTransparency && !header.CanBeTransparent)
        {
            problems.Add(new(null, $"{entry} must have a transparent background: a PNG with an alpha channel (colour type {header.ColorType} has none)"));
        }
    }

    /// <summary>
    /// Replaces <c>{{NAME}}</c> inside every JSON string of the template, so values are escaped by the JSON writer
    /// and never become syntax. Any <c>{{…}}</c> left afterwards is an error naming it.
    /// </summary>
    private static string? Fill(string templateJson, IReadOnlyDictionary<string, string> values, List<ManifestProblem> problems)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(templateJson);
        }
        catch (JsonException e)
        {
            problems.Add(new(null, $"the manifest template is not valid JSON: {e.Message}"));
            return null;
        }

        if (root is not JsonObject manifest)
        {
            problems.Add(new(null, "the manifest template must be a JSON object"));
            return null;
        }

        FillStrings(manifest, values);
        CheckTemplateShape(manifest, problems);

        var json = manifest.ToJsonString(OutputOptions) + "\n";
        foreach (var name in Placeholder().Matches(json).Select(m => m.Groups["name"].Value).Distinct(StringComparer.Ordinal))
        {
            problems.Add(new(name, $"placeholder {ManifestPlaceholders.Token(name)} has no value; the packager fills only {string.Join(", ", ManifestPlaceholders.All)}"));
        }

        return json;
    }

    private static void FillStrings(JsonNode node, IReadOnlyDictionary<string, string> values)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    if (child is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        obj[key] = Substitute(text, values);
                    }
                    else if (child is not null)
                    {
                        FillStrings(child, values);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        array[i] = Substitute(text, values);
                    }
                    else if (array[i] is { } child)
                    {
                        FillStrings(child, values);
                    }
                }

                break;
        }
    }

    private static string Substitute(string text, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(text, m => values.TryGetValue(m.Groups["name"].Value, out var value) ? value : m.Value);

    /// <summary>What the package itself relies on: the icon file names, and a $schema that matches manifestVersion.</summary>
    private static void CheckTemplateShape(JsonObject manifest, List<ManifestProblem> problems)
    {
        var version = (manifest["manifestVersion"] as JsonValue)?.TryGetValue<string>(out var v) == true ? v : null;
        var schema = (manifest["$schema"] as JsonValue)?.TryGetValue<string>(out var s) == true ? s : null;
        if (version is null)
        {
            problems.Add(new(null, "the manifest template has no manifestVersion"));
        }
        else if (schema is not null && !schema.EndsWith($"/v{version}/MicrosoftTeams.schema.json", StringComparison.Ordinal))
        {
            problems.Add(new(null, $"the manifest template's $schema ({schema}) is not the schema of manifestVersion {version}"));
        }

        var icons = manifest["icons"] as JsonObject;
        foreach (var (property, entry) in new[] { ("color", ColorIconEntry), ("outline", OutlineIconEntry) })
        {
            var file = (icons?[property] as JsonValue)?.TryGetValue<string>(out var f) == true ? f : null;
            if (file != entry)
            {
                problems.Add(new(null, $"the manifest template's icons.{property} must be \"{entry}\", the file the package contains (is {file ?? "missing"})"));
            }
        }
    }

    private static byte[] Zip(params (string Name, ReadOnlyMemory<byte> Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = EntryTimestamp;
                using var stream = entry.Open();
                stream.Write(content.Span);
            }
        }

        return buffer.ToArray();
    }

    [GeneratedRegex(@"\{\{\s*(?<name>[^{}]*?)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex SemanticVersion();

    // Labels of 1–63 letters, digits and inner hyphens, separated by dots; IDNs in their xn-- form.
    [GeneratedRegex(@"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex HostName();
}
