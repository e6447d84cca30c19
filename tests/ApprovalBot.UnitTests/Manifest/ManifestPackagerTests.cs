using System.Text.Json.Nodes;
using ApprovalBot.Teams.Manifest;

namespace ApprovalBot.UnitTests.Manifest;

public class ManifestPackagerTests
{
    private static ManifestPackageResult Package(ManifestValues? values = null, ManifestTemplate? template = null) =>
        ManifestPackager.Package(template ?? ManifestSamples.Template, values ?? ManifestSamples.Values);

    private static ManifestPackage PackageOrFail(ManifestValues? values = null)
    {
        var result = Package(values);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Problems));
        return result.Package;
    }

    [Fact]
    public void Package_PutsExactlyManifestAndIconsAtZipRoot_WhenValuesAreValid()
    {
        var package = PackageOrFail();

        var entries = ManifestSamples.Entries(package.Zip);

        Assert.Equal(["color.png", "manifest.json", "outline.png"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ManifestSamples.Template.ColorPng.ToArray(), entries["color.png"]);
        Assert.Equal(ManifestSamples.Template.OutlinePng.ToArray(), entries["outline.png"]);
        Assert.Equal(package.ManifestJson, System.Text.Encoding.UTF8.GetString(entries["manifest.json"]));
        Assert.NotEqual(0xEF, entries["manifest.json"][0]); // no UTF-8 byte order mark
    }

    [Fact]
    public void Package_ProducesManifestThatPassesOfficialSchema_WhenValuesAreValid()
    {
        var package = PackageOrFail();

        var errors = OfficialManifestSchema.Validate(package.ManifestJson);

        Assert.True(errors.Count == 0, "Schema errors:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void OfficialSchema_ReportsErrors_WhenManifestBreaksIt()
    {
        // The control for the test above: the validator must not accept everything.
        var manifest = JsonNode.Parse(PackageOrFail().ManifestJson)!.AsObject();
        var commands = manifest["bots"]![0]!["commandLists"]![0]!["commands"]!.AsArray();
        while (commands.Count <= 12)
            commands.Add(new JsonObject { ["title"] = $"extra{commands.Count}", ["description"] = "one too many" });
        manifest["bots"]![0]!["botId"] = "not-a-guid";

        var errors = OfficialManifestSchema.Validate(manifest.ToJsonString());

        Assert.Contains(errors, e => e.Contains("/bots/0/botId", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("/bots/0/commandLists/0/commands", StringComparison.Ordinal));
    }

    [Fact]
    public void Package_FillsEveryPlaceholder_WhenValuesAreValid()
    {
        var json = PackageOrFail().ManifestJson;
        var manifest = JsonNode.Parse(json)!;

        Assert.DoesNotContain("{{", json, StringComparison.Ordinal);
        Assert.DoesNotContain("}}", json, StringComparison.Ordinal);
        Assert.Equal(ManifestSamples.TeamsAppId, (string?)manifest["id"]);
        Assert.Equal("1.4.2", (string?)manifest["version"]);
        Assert.Equal(ManifestSamples.AppId, (string?)manifest["bots"]![0]!["botId"]);
        Assert.Equal(ManifestSamples.AppId, (string?)manifest["webApplicationInfo"]!["id"]);
        Assert.Equal($"api://{ManifestSamples.Domain}/{ManifestSamples.AppId}", (string?)manifest["webApplicationInfo"]!["resource"]);
        Assert.Equal([ManifestSamples.Domain], manifest["validDomains"]!.AsArray().Select(d => (string?)d));
        var tabs = manifest["staticTabs"]!.AsArray();
        Assert.Equal([$"https://{ManifestSamples.Domain}/dashboard/tab", $"https://{ManifestSamples.Domain}/ops/tab"], tabs.Select(t => (string?)t!["contentUrl"]));
        Assert.Equal([$"https://{ManifestSamples.Domain}/dashboard", $"https://{ManifestSamples.Domain}/ops"], tabs.Select(t => (string?)t!["websiteUrl"]));
        Assert.Equal("Contoso IT", (string?)manifest["developer"]!["name"]);
        Assert.Equal("https://contoso.example/it", (string?)manifest["developer"]!["websiteUrl"]);
        Assert.Equal("https://contoso.example/privacy", (string?)manifest["developer"]!["privacyUrl"]);
        Assert.Equal("https://contoso.example/terms", (string?)manifest["developer"]!["termsOfUseUrl"]);
    }

    [Fact]
    public void Package_KeepsManifestValidJson_WhenValuesContainJsonSyntax()
    {
        var values = ManifestSamples.Values with { DeveloperName = "Contoso \"IT\" \\ Ops, {x}" };

        var manifest = JsonNode.Parse(PackageOrFail(values).ManifestJson)!;

        Assert.Equal("Contoso \"IT\" \\ Ops, {x}", (string?)manifest["developer"]!["name"]);
    }

    [Fact]
    public void Package_ReturnsIdenticalBytes_WhenCalledTwiceWithSameInputs()
    {
        Assert.Equal(PackageOrFail().Zip.ToArray(), PackageOrFail().Zip.ToArray());
    }

    [Fact]
    public void Package_NamesLeftoverPlaceholder_WhenTemplateHasOneWithoutValue()
    {
        var template = ManifestSamples.Template with
        {
            ManifestJson = ManifestSamples.Template.ManifestJson.Replace(
                "\"accentColor\"", "\"publisherDocsUrl\": \"https://{{ DOCS_HOST }}/docs\",\n  \"accentColor\"", StringComparison.Ordinal),
        };

        var result = Package(template: template);

        Assert.False(result.Succeeded);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("DOCS_HOST", problem.Placeholder);
        Assert.Contains("{{DOCS_HOST}}", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("6f1c2a3b0d4e4f5a8b6c7d8e9f0a1b2c")]
    [InlineData("{6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c}")]
    [InlineData(" 6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("")]
    public void Package_RejectsIds_WhenTheyAreNotHyphenatedGuids(string id)
    {
        var result = Package(ManifestSamples.Values with { MicrosoftAppId = id, TeamsAppId = id });

        Assert.False(result.Succeeded);
        Assert.Equal(
            [ManifestPlaceholders.TeamsAppId, ManifestPlaceholders.MicrosoftAppId],
            result.Problems.Select(p => p.Placeholder));
        Assert.All(result.Problems, p => Assert.Contains("GUID", p.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://approvalbot.contoso.com", "without a scheme")]
    [InlineData("approvalbot.contoso.com/api/messages", "no path")]
    [InlineData("approvalbot.contoso.com:443", "port")]
    [InlineData("*.contoso.com", "wildcard")]
    [InlineData("approval bot.contoso.com", "host name")]
    [InlineData("-approvalbot.contoso.com", "host name")]
    [InlineData("", "got nothing")]
    public void Package_RejectsDomain_WhenItIsNotABareHostName(string domain, string expected)
    {
        var result = Package(ManifestSamples.Values with { BotDomain = domain });

        var problem = Assert.Single(result.Problems);
        Assert.Equal(ManifestPlaceholders.BotDomain, problem.Placeholder);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("approvalbot.contoso.com")]
    [InlineData("abc123-3978.euw.devtunnels.ms")]
    [InlineData("localhost")]
    public void Package_AcceptsDomain_WhenItIsABareHostName(string domain)
    {
        Assert.True(Package(ManifestSamples.Values with { BotDomain = domain }).Succeeded);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("1.0.0-beta.1")]
    [InlineData("1.0.0+build5")]
    [InlineData("v1.0.0")]
    [InlineData("01.0.0")]
    [InlineData("1.0.0.0")]
    [InlineData("")]
    public void Package_RejectsVersion_WhenNotMajorMinorPatch(string version)
    {
        var result = Package(ManifestSamples.Values with { Version = version });

        var problem = Assert.Single(result.Problems);
        Assert.Equal(ManifestPlaceholders.AppVersion, problem.Placeholder);
        Assert.Contains("MAJOR.MINOR.PATCH", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Package_RejectsDeveloperDetails_WhenNameTooLongOrUrlsNotHttps()
    {
        var values = ManifestSamples.Values with
        {
            DeveloperName = new string('x', 33),
            WebsiteUrl = "http://contoso.example/",
            PrivacyUrl = "/privacy",
            TermsOfUseUrl = "contoso.example/terms",
        };

        var result = Package(values);

        Assert.Equal(
            [ManifestPlaceholders.DeveloperName, ManifestPlaceholders.DeveloperWebsiteUrl, ManifestPlaceholders.DeveloperPrivacyUrl, ManifestPlaceholders.DeveloperTermsUrl],
            result.Problems.Select(p => p.Placeholder));
    }

    [Fact]
    public void Package_RejectsIcons_WhenSizesAreSwappedOrNotPng()
    {
        var swapped = ManifestSamples.Template with
        {
            ColorPng = ManifestSamples.Template.OutlinePng,
            OutlinePng = ManifestSamples.Template.ColorPng,
        };
        var garbage = ManifestSamples.Template with { ColorPng = "GIF89a"u8.ToArray() };

        var swappedProblems = Package(template: swapped).Problems.Select(p => p.Message).ToList();
        var garbageProblems = Package(template: garbage).Problems.Select(p => p.Message).ToList();

        Assert.Contains("color.png must be 192x192 pixels (is 32x32)", swappedProblems);
        Assert.Contains("outline.png must be 32x32 pixels (is 192x192)", swappedProblems);
        Assert.Contains(swappedProblems, m => m.StartsWith("outline.png must have a transparent background", StringComparison.Ordinal));
        Assert.Equal(["color.png is not a PNG file"], garbageProblems);
    }

    [Fact]
    public void Package_RejectsTemplate_WhenSchemaUrlAndManifestVersionDisagree()
    {
        var template = ManifestSamples.Template with
        {
            ManifestJson = ManifestSamples.Template.ManifestJson.Replace("\"manifestVersion\": \"1.30\"", "\"manifestVersion\": \"1.29\"", StringComparison.Ordinal),
        };

        var problem = Assert.Single(Package(template: template).Problems);

        Assert.Contains("not the schema of manifestVersion 1.29", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Package_ReportsEveryProblem_WhenSeveralValuesAreBad()
    {
        var values = ManifestSamples.Values with { MicrosoftAppId = "x", BotDomain = "https://x", Version = "1" };

        var result = Package(values);

        Assert.False(result.Succeeded);
        Assert.Null(result.Package);
        Assert.Equal(
            [ManifestPlaceholders.MicrosoftAppId, ManifestPlaceholders.BotDomain, ManifestPlaceholders.AppVersion],
            result.Problems.Select(p => p.Placeholder));
    }

    [Theory]
    [InlineData("11111111-2222-3333-4444-555555555555", "81c5fea1-de16-52f6-a624-ad545bb9cf30")]
    [InlineData("6F1C2A3B-0D4E-4F5A-8B6C-7D8E9F0A1B2C", "522b3958-120a-5efc-bb03-5b85c548cb67")]
    public void DeriveTeamsAppId_ReturnsRfcVersion5Uuid_WhenGivenAppId(string appId, string expected)
    {
        // Expected values from Python: uuid.uuid5(uuid.UUID("41f1fd69-fd9a-4e34-9dde-6a764487d99c"), app_id.lower())
        Assert.Equal(Guid.Parse(expected), ManifestPackager.DeriveTeamsAppId(Guid.Parse(appId)));
    }
}
