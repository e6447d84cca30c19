using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ApprovalBot.Teams.Manifest;

namespace ApprovalBot.UnitTests.Manifest;

public partial class ManifestTemplateTests
{
    private static readonly JsonNode Template = JsonNode.Parse(ManifestSamples.Template.ManifestJson)!;

    /// <summary>Per-list maximum of manifest v1.24 and later (10 before).</summary>
    private const int MaxCommandsPerList = 12;

    /// <summary>
    /// The commands the Teams menu offers (the rarer follow-ups such as hold or reopen are in help only: Teams allows 10). The manifest advertises only these, so a user never picks a command
    /// from the menu that the bot answers with "unknown"; each feature adds its commands here and in the manifest
    /// (ManifestCommandsTests in the integration tests compares the manifest with the bot's route table).
    /// </summary>
    private static readonly string[] PlannedCommands = ["help", "approvals", "request", "status", "agreement", "escalate", "ack", "resolve", "list", "who"];

    /// <summary>Commands about the user's own work, offered in the 1:1 chat only.</summary>
    private static readonly string[] PersonalOnly = ["approvals", "request"];

    [Fact]
    public void Template_DeclaresSchemaOfItsManifestVersion_WhenRead()
    {
        Assert.Equal("1.30", (string?)Template["manifestVersion"]);
        Assert.Equal("https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json", (string?)Template["$schema"]);
    }

    [Fact]
    public void Template_UsesExactlyTheKnownPlaceholders_WhenScanned()
    {
        var used = Placeholder().Matches(ManifestSamples.Template.ManifestJson).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.Equal(ManifestPlaceholders.All.Order(StringComparer.Ordinal), used.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Readme_DocumentsEveryPlaceholder_WhenRead()
    {
        var readme = File.ReadAllText(RepositoryFiles.PathOf("manifest", "README.md"));

        Assert.All(ManifestPlaceholders.All, name => Assert.Contains(ManifestPlaceholders.Token(name), readme, StringComparison.Ordinal));
    }

    [Fact]
    public void Template_DeclaresConversationalBotInAllScopes_WhenRead()
    {
        var bot = Assert.Single(Template["bots"]!.AsArray())!;

        Assert.Equal(["personal", "team", "groupChat"], bot["scopes"]!.AsArray().Select(s => (string?)s));
        Assert.False((bool)bot["supportsFiles"]!);
        Assert.False((bool)bot["isNotificationOnly"]!);
        Assert.Equal(ManifestPlaceholders.Token(ManifestPlaceholders.MicrosoftAppId), (string?)bot["botId"]);
    }

    [Fact]
    public void Template_DeclaresThePersonalDashboardTab_SignedInThroughTheBotsAppRegistration()
    {
        var tab = Template["staticTabs"]!.AsArray().Single(t => (string?)t!["entityId"] == "dashboard")!;
        var domain = ManifestPlaceholders.Token(ManifestPlaceholders.BotDomain);
        var appId = ManifestPlaceholders.Token(ManifestPlaceholders.MicrosoftAppId);

        Assert.Equal("dashboard", (string?)tab["entityId"]);
        Assert.Equal("Dashboard", (string?)tab["name"]);
        Assert.Equal($"https://{domain}/dashboard/tab", (string?)tab["contentUrl"]);
        Assert.Equal($"https://{domain}/dashboard", (string?)tab["websiteUrl"]);
        Assert.Equal(["personal"], tab["scopes"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(appId, (string?)Template["webApplicationInfo"]!["id"]);
        Assert.Equal($"api://{domain}/{appId}", (string?)Template["webApplicationInfo"]!["resource"]);
        Assert.Contains(domain, Template["validDomains"]!.AsArray().Select(d => (string?)d));
    }

    [Fact]
    public void Template_DeclaresThePersonalOperationsTab_AfterTheDashboard()
    {
        var tabs = Template["staticTabs"]!.AsArray();
        var domain = ManifestPlaceholders.Token(ManifestPlaceholders.BotDomain);

        Assert.Equal(["dashboard", "operations"], tabs.Select(t => (string?)t!["entityId"]));
        var tab = tabs[1]!;
        Assert.Equal("Operations", (string?)tab["name"]);
        Assert.Equal($"https://{domain}/ops/tab", (string?)tab["contentUrl"]);
        Assert.Equal($"https://{domain}/ops", (string?)tab["websiteUrl"]);
        Assert.Equal(["personal"], tab["scopes"]!.AsArray().Select(s => (string?)s));
    }

    [Fact]
    public void Titles_ListEveryImplementedCommand_WhenReadFromEmbeddedManifest()
    {
        Assert.Equal(PlannedCommands, ManifestCommands.Titles);
    }

    [Fact]
    public void Lists_OfferEveryCommandInPersonal_AndAllButThePersonalOnesInTeamAndGroupChat_WhenRead()
    {
        var lists = ManifestCommands.Lists;

        Assert.Equal(2, lists.Count);
        Assert.Equal(["personal"], lists[0].Scopes);
        Assert.Equal(["team", "groupChat"], lists[1].Scopes);
        Assert.Equal(PlannedCommands.Order(StringComparer.Ordinal), lists[0].Commands.Select(c => c.Title).Order(StringComparer.Ordinal));
        Assert.Equal(PlannedCommands.Except(PersonalOnly).Order(StringComparer.Ordinal), lists[1].Commands.Select(c => c.Title).Order(StringComparer.Ordinal));
        Assert.All(lists, list => Assert.Equal("help", list.Commands[0].Title));
    }

    [Fact]
    public void Lists_KeepTitlesUniqueShortAndDescribed_WhenRead()
    {
        Assert.All(ManifestCommands.Lists, list =>
        {
            Assert.InRange(list.Commands.Count, 1, MaxCommandsPerList);
            Assert.Equal(list.Commands.Count, list.Commands.Select(c => c.Title).Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.All(list.Commands, c =>
            {
                Assert.InRange(c.Title.Length, 1, 32);
                Assert.Equal(c.Title.Trim(), c.Title);
                Assert.InRange(c.Description.Length, 1, 128);
            });
        });
    }

    [Fact]
    public void Lists_DescribeACommandTheSameWayEverywhere_WhenItAppearsInSeveralLists()
    {
        var descriptions = ManifestCommands.Lists.SelectMany(l => l.Commands).GroupBy(c => c.Title, StringComparer.OrdinalIgnoreCase);

        Assert.All(descriptions, g => Assert.Single(g.Select(c => c.Description).Distinct(StringComparer.Ordinal)));
    }

    [GeneratedRegex(@"\{\{([A-Z0-9_]+)\}\}")]
    private static partial Regex Placeholder();
}
