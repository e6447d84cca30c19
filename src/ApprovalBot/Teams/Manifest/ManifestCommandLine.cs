using System.Globalization;

namespace ApprovalBot.Teams.Manifest;

/// <summary>
/// <c>package-manifest</c>: writes the Teams app package zip from the manifest files embedded in the host.
/// Program.cs calls <see cref="Run"/> with the arguments after the command name:
/// <c>if (args is ["package-manifest", ..]) return ManifestCommandLine.Run(args[1..], Console.Out, Console.Error);</c>
/// </summary>
internal static class ManifestCommandLine
{
    public const string CommandName = "package-manifest";
    public const string DefaultOutput = "approvalbot-teams-app.zip";
    public const string DefaultVersion = "1.0.0";
    public const string DefaultDeveloperName = "ApprovalBot";

    public const int ExitOk = 0;

    /// <summary>The values, the manifest files or the output file were not usable.</summary>
    public const int ExitFailed = 1;

    /// <summary>The command line could not be parsed.</summary>
    public const int ExitUsage = 2;

    private const string AppId = "--app-id";
    private const string TeamsAppId = "--teams-app-id";
    private const string Domain = "--domain";
    private const string Version = "--version";
    private const string DeveloperName = "--developer-name";
    private const string WebsiteUrl = "--website-url";
    private const string PrivacyUrl = "--privacy-url";
    private const string TermsUrl = "--terms-url";
    private const string Out = "--out";

    private static readonly string[] Options = [AppId, TeamsAppId, Domain, Version, DeveloperName, WebsiteUrl, PrivacyUrl, TermsUrl, Out];

    /// <summary>Which option supplies each placeholder, to name the option in errors.</summary>
    private static readonly Dictionary<string, string> OptionOf = new(StringComparer.Ordinal)
    {
        [ManifestPlaceholders.MicrosoftAppId] = AppId,
        [ManifestPlaceholders.TeamsAppId] = TeamsAppId,
        [ManifestPlaceholders.BotDomain] = Domain,
        [ManifestPlaceholders.AppVersion] = Version,
        [ManifestPlaceholders.DeveloperName] = DeveloperName,
        [ManifestPlaceholders.DeveloperWebsiteUrl] = WebsiteUrl,
        [ManifestPlaceholders.DeveloperPrivacyUrl] = PrivacyUrl,
        [ManifestPlaceholders.DeveloperTermsUrl] = TermsUrl,
    };

    public static string Usage { get; } = $"""
        Usage: ApprovalBot {CommandName} {AppId} <guid> {Domain} <host> [options]
               dotnet run --project src/ApprovalBot -- {CommandName} {AppId} <guid> {Domain} <host> [options]

        Writes the Teams app package: a zip with manifest.json, color.png and outline.png at its root,
        ready to upload in Teams (Apps > Manage your apps > Upload an app) or the Teams Developer Portal.

        Required:
          {AppId} <guid>             The bot's Microsoft App ID (its Entra app registration).
                                     Fills bots[0].botId and webApplicationInfo.id.
          {Domain} <host>            The bot's public host name, without https:// or a path,
                                     e.g. approvalbot.contoso.com. Fills validDomains and
                                     webApplicationInfo.resource (api://<host>/<app-id>)
                                     and the tabs (https://<host>/dashboard/tab, /ops/tab).
        Options:
          {TeamsAppId} <guid>        The Teams app id (manifest "id"). Default: derived from {AppId}
                                     as a version-5 UUID, so every package of this bot has the same id
                                     and an upload updates the installed app instead of adding another.
          {Version} <x.y.z>          App version, MAJOR.MINOR.PATCH. Default: {DefaultVersion}.
                                     Raise it whenever you upload a changed package.
          {DeveloperName} <text>     Publisher name shown in Teams, at most 32 characters.
                                     Default: {DefaultDeveloperName}.
          {WebsiteUrl} <https-url>   Default: https://<host>/
          {PrivacyUrl} <https-url>   Default: https://<host>/privacy
          {TermsUrl} <https-url>     Default: https://<host>/terms
          {Out} <path>               Where to write the zip; an existing file is replaced.
                                     Default: {DefaultOutput} in the current directory.
                                     Under 'dotnet run' the current directory is src/ApprovalBot,
                                     so pass an absolute path there, e.g. --out "$PWD/app.zip".
          -h, --help                 Show this help.

        Exit codes: 0 written; 1 invalid values or files, or the zip could not be written;
        2 the command line could not be parsed.

        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Any(a => a is "-h" or "--help" or "-?" or "/?"))
        {
            output.Write(Usage);
            return ExitOk;
        }

        var (options, problems) = Parse(args);
        foreach (var (option, meaning) in new[] { (AppId, "the bot's Microsoft App ID, a GUID"), (Domain, "the bot's host name") })
        {
            if (!options.ContainsKey(option) && !problems.Any(p => p.StartsWith(option, StringComparison.Ordinal)))
            {
                problems.Add($"{option} is required ({meaning})");
            }
        }

        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                error.WriteLine($"error: {problem}");
            }

            error.WriteLine($"Run '{CommandName} --help' for usage.");
            return ExitUsage;
        }

        var appId = options[AppId];
        var domain = options[Domain];
        var derivedTeamsAppId = !options.ContainsKey(TeamsAppId);
        var values = new ManifestValues
        {
            MicrosoftAppId = appId,
            // With a bad app id there is nothing to derive from: the packager then reports the app id (only).
            TeamsAppId = options.GetValueOrDefault(TeamsAppId)
                ?? (appId.Length == 36 && Guid.TryParseExact(appId, "D", out var botId)
                    ? ManifestPackager.DeriveTeamsAppId(botId).ToString("D", CultureInfo.InvariantCulture)
                    : appId),
            BotDomain = domain,
            Version = options.GetValueOrDefault(Version) ?? DefaultVersion,
            DeveloperName = options.GetValueOrDefault(DeveloperName) ?? DefaultDeveloperName,
            WebsiteUrl = options.GetValueOrDefault(WebsiteUrl) ?? $"https://{domain}/",
            PrivacyUrl = options.GetValueOrDefault(PrivacyUrl) ?? $"https://{domain}/privacy",
            TermsOfUseUrl = options.GetValueOrDefault(TermsUrl) ?? $"https://{domain}/terms",
        };

        ManifestPackageResult result;
        try
        {
            result = ManifestPackager.Package(ManifestTemplate.LoadEmbedded(), values);
        }
        catch (InvalidOperationException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitFailed;
        }

        if (!result.Succeeded)
        {
            foreach (var problem in result.Problems.Where(p => !(derivedTeamsAppId && p.Placeholder == ManifestPlaceholders.TeamsAppId)))
            {
                var subject = problem.Placeholder is { } p ? OptionOf.GetValueOrDefault(p, ManifestPlaceholders.Token(p)) : null;
                error.WriteLine(subject is null ? $"error: {problem.Message}" : $"error: {subject}: {problem.Message}");
            }

            return ExitFailed;
        }

        var path = Path.GetFullPath(options.GetValueOrDefault(Out) ?? DefaultOutput);
        try
        {
            if (Path.GetDirectoryName(path) is { Length: > 0 } directory)
            {
                Directory.CreateDirectory(directory);
            }

            File.WriteAllBytes(path, result.Package.Zip.Span);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            error.WriteLine($"error: cannot write {path}: {e.Message}");
            return ExitFailed;
        }

        output.WriteLine($"Wrote {path}");
        output.WriteLine($"  Teams app id:    {values.TeamsAppId}{(derivedTeamsAppId ? $" (derived from {AppId})" : "")}");
        output.WriteLine($"  Bot app id:      {values.MicrosoftAppId}");
        output.WriteLine($"  Domain:          {values.BotDomain}");
        output.WriteLine($"  Version:         {values.Version}");
        output.WriteLine("Upload it in Teams (Apps > Manage your apps > Upload an app) or in the Teams Developer Portal (Apps > Import app).");
        return ExitOk;
    }

    private static (Dictionary<string, string> Options, List<string> Problems) Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var inline = arg.StartsWith("--", StringComparison.Ordinal) && equals > 0;
            var name = inline ? arg[..equals] : arg;
            if (!Options.Contains(name, StringComparer.Ordinal))
            {
                problems.Add(name.StartsWith('-')
                    ? $"unknown option '{name}'"
                    : $"unexpected argument '{name}' (every value follows its option, e.g. {AppId} <guid>)");
                continue;
            }

            var value = inline ? arg[(equals + 1)..]
                : i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i]
                : null;

            if (string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"{name} needs a value");
            }
            else if (!options.TryAdd(name, value))
            {
                problems.Add($"{name} is given more than once");
            }
        }

        return (options, problems);
    }
}
