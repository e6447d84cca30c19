using ApprovalBot.OrgDirectory;
using ApprovalBot.OrgDirectory.Graph;
using ApprovalBot.Protocol.Connector;
using Microsoft.Extensions.Options;

namespace ApprovalBot.UnitTests.OrgDirectory;

public sealed class GraphDirectoryOptionsTests
{
    private static readonly BotCredentialOptions Bot = new() { MicrosoftAppId = "bot-app", MicrosoftAppPassword = "bot-secret", MicrosoftAppTenantId = "contoso.test" };

    private static ValidateOptionsResult Validate(DirectoryOptions options, BotCredentialOptions? bot = null) =>
        new DirectoryOptionsValidator(Options.Create(bot ?? new BotCredentialOptions())).Validate(null, options);

    private static DirectoryOptions Graph(Action<GraphDirectoryOptions>? change = null)
    {
        var options = new DirectoryOptions { Source = "graph" };
        change?.Invoke(options.Graph);
        return options;
    }

    [Fact]
    public void Defaults_AreTheFileDirectory_AndValid_WithoutAnyCredential()
    {
        var options = new DirectoryOptions();
        Assert.False(options.UsesGraph());
        Assert.True(Validate(options).Succeeded);
    }

    [Fact]
    public void Graph_FallsBackToTheBotsOwnAppRegistration_WhenNoClientIsSet()
    {
        var options = Graph();
        Assert.True(Validate(options, Bot).Succeeded);
        Assert.Equal(new GraphCredentials("contoso.test", "bot-app", "bot-secret"), options.Graph.Credentials(Bot));
    }

    [Fact]
    public void Graph_DoesNotLendTheBotsSecret_ToAnotherAppRegistration()
    {
        var options = Graph(g => g.ClientId = "directory-reader");
        var result = Validate(options, Bot);

        Assert.False(result.Succeeded);
        Assert.Contains("Directory:Graph:ClientSecret", result.FailureMessage, StringComparison.Ordinal);
        Assert.Equal("", options.Graph.Credentials(Bot).ClientSecret);
        Assert.DoesNotContain("bot-secret", Graph().Graph.Credentials(Bot).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Graph_WithoutTenantClientOrSecret_FailsNamingEachKey()
    {
        var result = Validate(Graph());

        Assert.False(result.Succeeded);
        Assert.Contains("Directory:Graph:TenantId", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Directory:Graph:ClientId", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Directory:Graph:ClientSecret", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Source", "Directory:Source")]
    [InlineData("BaseUrl", "Directory:Graph:BaseUrl")]
    [InlineData("AuthorityHost", "Directory:Graph:AuthorityHost")]
    [InlineData("MaxRetries", "Directory:Graph:MaxRetries")]
    [InlineData("RetryDelay", "Directory:Graph:RetryDelay")]
    [InlineData("PeopleCacheLifetime", "Directory:Graph:PeopleCacheLifetime")]
    [InlineData("NotFoundCacheLifetime", "Directory:Graph:NotFoundCacheLifetime")]
    [InlineData("Timeout", "Directory:Graph:Timeout")]
    [InlineData("TeamsAppCatalogId", "Directory:Graph:TeamsAppCatalogId")]
    public void OutOfRangeValues_FailNamingTheKey(string property, string key)
    {
        var options = Graph();
        switch (property)
        {
            case "Source": options.Source = "Ldap"; break;
            case "BaseUrl": options.Graph.BaseUrl = "http://graph.microsoft.com/v1.0"; break;
            case "AuthorityHost": options.Graph.AuthorityHost = "login.microsoftonline.com"; break;
            case "MaxRetries": options.Graph.MaxRetries = 11; break;
            case "RetryDelay": options.Graph.RetryDelay = TimeSpan.FromMilliseconds(1500); break;
            case "PeopleCacheLifetime": options.Graph.PeopleCacheLifetime = TimeSpan.Zero; break;
            case "NotFoundCacheLifetime": options.Graph.NotFoundCacheLifetime = TimeSpan.FromDays(2); break;
            case "Timeout": options.Graph.Timeout = TimeSpan.FromHours(1); break;
            case "TeamsAppCatalogId": options.Graph.TeamsAppCatalogId = "com.contoso.approvalbot"; break;
        }

        var result = Validate(options, Bot);

        Assert.False(result.Succeeded);
        Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ACatalogAppId_WithTheFileDirectory_IsRefused_BecauseInstallationGoesThroughGraph()
    {
        var options = new DirectoryOptions();
        options.Graph.TeamsAppCatalogId = Guid.NewGuid().ToString();

        var result = Validate(options, Bot);

        Assert.False(result.Succeeded);
        Assert.Contains("Directory:Source", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(Validate(Graph(g => g.TeamsAppCatalogId = options.Graph.TeamsAppCatalogId), Bot).Succeeded);
    }

    [Theory]
    [InlineData("https://graph.microsoft.com/v1.0", "https://graph.microsoft.com/.default")]
    [InlineData("https://graph.microsoft.us/v1.0/", "https://graph.microsoft.us/.default")]
    [InlineData("https://127.0.0.1:5001/v1.0", "https://127.0.0.1:5001/.default")]
    public void Scope_IsGraphsOriginWithDefault(string baseUrl, string scope) =>
        Assert.Equal(scope, new GraphDirectoryOptions { BaseUrl = baseUrl }.Scope());
}

public sealed class GraphTimeZonesTests
{
    [Theory]
    [InlineData("W. Europe Standard Time", "Europe/Berlin")]
    [InlineData("Pacific Standard Time", "America/Los_Angeles")]
    [InlineData("GMT Standard Time", "Europe/London")]
    [InlineData("Tokyo Standard Time", "Asia/Tokyo")]
    [InlineData("Europe/Paris", "Europe/Paris")]
    [InlineData(" America/New_York ", "America/New_York")]
    public void ToIana_ConvertsWindowsNames_AndKeepsIanaIds(string graph, string iana) =>
        Assert.Equal(iana, GraphTimeZones.ToIana(graph));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Customized Time Zone")]
    [InlineData("Mars/Olympus_Mons")]
    public void ToIana_IsNull_ForNothingOrAnUnknownZone(string? graph) => Assert.Null(GraphTimeZones.ToIana(graph));

    [Theory]
    [InlineData("2026-07-01T09:00:00.0000000", "W. Europe Standard Time", "2026-07-01T07:00:00Z")] // summer: UTC+2
    [InlineData("2026-12-01T09:00:00.0000000", "W. Europe Standard Time", "2026-12-01T08:00:00Z")] // winter: UTC+1
    [InlineData("2026-12-01T09:00:00", "UTC", "2026-12-01T09:00:00Z")]
    [InlineData("2026-12-01T09:00:00", "Mars/Olympus_Mons", "2026-12-01T09:00:00Z")]              // unknown: read as UTC
    [InlineData("2026-03-29T02:30:00", "Europe/Berlin", "2026-03-29T01:30:00Z")]                  // skipped by the clock change
    public void ToInstant_ReadsTheWallClockTimeInItsZone(string dateTime, string zone, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), GraphTimeZones.ToInstant(dateTime, zone));

    [Fact]
    public void ToInstant_IsNull_WhenTheTimeCannotBeRead() => Assert.Null(GraphTimeZones.ToInstant("next Tuesday", "UTC"));
}
