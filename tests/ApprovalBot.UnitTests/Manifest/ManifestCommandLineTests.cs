using System.Text.Json.Nodes;
using ApprovalBot.Teams.Manifest;

namespace ApprovalBot.UnitTests.Manifest;

public sealed class ManifestCommandLineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("approvalbot-manifest-cli-").FullName;
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        _out.Dispose();
        _err.Dispose();
    }

    private string OutPath => Path.Combine(_directory, "nested", "app.zip");

    private int Run(params string[] args) => ManifestCommandLine.Run(args, _out, _err);

    private JsonNode WrittenManifest()
    {
        var entries = ManifestSamples.Entries(File.ReadAllBytes(OutPath));
        return JsonNode.Parse(entries["manifest.json"])!;
    }

    [Fact]
    public void Run_WritesZipWithDefaults_WhenOnlyRequiredOptionsGiven()
    {
        var exit = Run("--app-id", ManifestSamples.AppId, "--domain", ManifestSamples.Domain, "--out", OutPath);

        Assert.Equal(0, exit);
        Assert.Equal("", _err.ToString());
        Assert.Contains($"Wrote {OutPath}", _out.ToString(), StringComparison.Ordinal);
        Assert.Equal(["color.png", "manifest.json", "outline.png"], ManifestSamples.Entries(File.ReadAllBytes(OutPath)).Keys.Order(StringComparer.Ordinal));
        var manifest = WrittenManifest();
        Assert.Equal("1.0.0", (string?)manifest["version"]);
        Assert.Equal("ApprovalBot", (string?)manifest["developer"]!["name"]);
        Assert.Equal($"https://{ManifestSamples.Domain}/", (string?)manifest["developer"]!["websiteUrl"]);
        Assert.Equal($"https://{ManifestSamples.Domain}/privacy", (string?)manifest["developer"]!["privacyUrl"]);
        Assert.Equal($"https://{ManifestSamples.Domain}/terms", (string?)manifest["developer"]!["termsOfUseUrl"]);
        Assert.Equal(ManifestSamples.AppId, (string?)manifest["bots"]![0]!["botId"]);
    }

    [Fact]
    public void Run_DerivesStableTeamsAppId_WhenTeamsAppIdOmitted()
    {
        Assert.Equal(0, Run("--app-id", ManifestSamples.AppId, "--domain", ManifestSamples.Domain, "--out", OutPath));
        var first = (string?)WrittenManifest()["id"];
        Assert.Equal(0, Run("--app-id", ManifestSamples.AppId, "--domain", "other.contoso.example", "--version", "2.0.0", "--out", OutPath));
        var second = (string?)WrittenManifest()["id"];

        Assert.Equal(ManifestPackager.DeriveTeamsAppId(Guid.Parse(ManifestSamples.AppId)).ToString(), first);
        Assert.Equal(first, second);
        Assert.NotEqual(ManifestSamples.AppId, first);
        Assert.Contains("(derived from --app-id)", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UsesEveryGivenValue_WhenAllOptionsGiven()
    {
        var exit = Run(
            "--app-id", ManifestSamples.AppId, "--teams-app-id=" + ManifestSamples.TeamsAppId, "--domain", ManifestSamples.Domain,
            "--version", "3.2.1", "--developer-name", "Contoso IT", "--website-url", "https://contoso.example/",
            "--privacy-url=https://contoso.example/p", "--terms-url", "https://contoso.example/t", "--out", OutPath);

        Assert.Equal(0, exit);
        var manifest = WrittenManifest();
        Assert.Equal(ManifestSamples.TeamsAppId, (string?)manifest["id"]);
        Assert.Equal("3.2.1", (string?)manifest["version"]);
        Assert.Equal("Contoso IT", (string?)manifest["developer"]!["name"]);
        Assert.Equal("https://contoso.example/", (string?)manifest["developer"]!["websiteUrl"]);
        Assert.Equal("https://contoso.example/p", (string?)manifest["developer"]!["privacyUrl"]);
        Assert.Equal("https://contoso.example/t", (string?)manifest["developer"]!["termsOfUseUrl"]);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Run_PrintsUsageAndSucceeds_WhenHelpRequested(string flag)
    {
        var exit = Run("--app-id", "whatever", flag);

        Assert.Equal(0, exit);
        Assert.Contains("package-manifest --app-id <guid> --domain <host>", _out.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory));
    }

    [Theory]
    [InlineData(new string[0], "--app-id is required")]
    [InlineData(new[] { "--domain", "bot.contoso.example" }, "--app-id is required")]
    [InlineData(new[] { "--app-id", "6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c" }, "--domain is required")]
    [InlineData(new[] { "--app-id", "--domain", "bot.contoso.example" }, "--app-id needs a value")]
    [InlineData(new[] { "--app-id", "6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c", "--domain", "a.example", "--domain", "b.example" }, "--domain is given more than once")]
    [InlineData(new[] { "--app-id", "6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c", "--domain", "a.example", "--colour", "red" }, "unknown option '--colour'")]
    [InlineData(new[] { "package-manifest", "--app-id", "6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c", "--domain", "a.example" }, "unexpected argument 'package-manifest'")]
    public void Run_FailsWithUsageError_WhenCommandLineIsMalformed(string[] args, string expected)
    {
        var exit = ManifestCommandLine.Run([.. args, "--out", OutPath], _out, _err);

        Assert.Equal(2, exit);
        Assert.Contains($"error: {expected}", _err.ToString(), StringComparison.Ordinal);
        Assert.Contains("--help", _err.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(OutPath));
    }

    [Theory]
    [InlineData("--app-id", "not-a-guid", "error: --app-id: must be a GUID")]
    [InlineData("--teams-app-id", "12345", "error: --teams-app-id: must be a GUID")]
    [InlineData("--domain", "https://bot.contoso.example", "error: --domain: must be a host name without a scheme")]
    [InlineData("--version", "1.0", "error: --version: must be a version MAJOR.MINOR.PATCH")]
    [InlineData("--developer-name", "A developer name far longer than 32 characters", "error: --developer-name: must be 1 to 32 characters")]
    [InlineData("--privacy-url", "http://contoso.example/privacy", "error: --privacy-url: must be an absolute https:// URL")]
    public void Run_FailsNamingTheOption_WhenValueIsInvalid(string option, string value, string expected)
    {
        var values = new Dictionary<string, string>
        {
            ["--app-id"] = ManifestSamples.AppId,
            ["--domain"] = ManifestSamples.Domain,
            [option] = value,
        };

        var exit = Run([.. values.SelectMany(kv => new[] { kv.Key, kv.Value }), "--out", OutPath]);

        Assert.Equal(1, exit);
        var errors = _err.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith(expected, Assert.Single(errors), StringComparison.Ordinal);
        Assert.False(File.Exists(OutPath));
    }

    [Fact]
    public void Run_Fails_WhenOutputPathIsADirectory()
    {
        var exit = Run("--app-id", ManifestSamples.AppId, "--domain", ManifestSamples.Domain, "--out", _directory);

        Assert.Equal(1, exit);
        Assert.Contains($"error: cannot write {_directory}", _err.ToString(), StringComparison.Ordinal);
    }
}
