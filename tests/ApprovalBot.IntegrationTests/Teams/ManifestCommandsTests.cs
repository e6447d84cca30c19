using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Teams.Manifest;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Teams;

/// <summary>The Teams command menu (manifest) and the bot's registered commands say the same thing.</summary>
public sealed class ManifestCommandsTests : IAsyncLifetime
{
    private BotTestHost _bot = null!;

    public async Task InitializeAsync() => _bot = await BotTestHost.StartAsync(new BotTestHostOptions { Mode = BotTestMode.LocalDevelopment });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public void ManifestMenus_ListExactlyTheRegisteredMenuCommands_ForEachScope_WithinTeamsLimitOfTen()
    {
        var commands = _bot.Services.GetRequiredService<ActivityRouteTable>().Commands.Where(c => c.InMenu).ToList();
        var lists = ManifestCommands.Lists;
        var personal = lists.Where(l => l.Scopes.Contains("personal")).SelectMany(l => l.Commands.Select(c => c.Title)).Order(StringComparer.Ordinal);
        var channel = lists.Where(l => l.Scopes.Contains("team")).SelectMany(l => l.Commands.Select(c => c.Title)).Order(StringComparer.Ordinal);

        Assert.Equal(commands.Where(c => c.InPersonal).Select(c => c.Name).Order(StringComparer.Ordinal), personal);
        Assert.Equal(commands.Where(c => c.InChannel).Select(c => c.Name).Order(StringComparer.Ordinal), channel);
        Assert.All(lists, l => Assert.InRange(l.Commands.Count, 1, 10));
    }
}
