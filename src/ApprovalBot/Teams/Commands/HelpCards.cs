using System.Text.Json.Nodes;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Teams.Commands;

/// <summary>Renders the help card (every registered command, by area), one command's help, and usage errors.</summary>
public sealed class HelpCards(CardRenderer cards, ActivityRouteTable routes)
{
    public JsonObject All(bool inChannel) =>
        cards.Render(CardTemplates.Help, new HelpCardData(
            [.. routes.Commands
                .Where(c => inChannel ? c.InChannel : c.InPersonal)
                .GroupBy(c => c.Area)
                .Select(g => new HelpSection(g.Key, [.. g.Select(c => new Cards.HelpCommand(c.Name, c.Usage, c.Description, c.Examples.Count > 0 ? c.Examples[0] : null))]))]));

    /// <summary>One command in detail, with an optional line saying what was wrong.</summary>
    public JsonObject One(CommandInfo command, string? error = null) =>
        cards.Render(CardTemplates.CommandHelp, new CommandHelpCardData(
            new CommandDetail(command.Name, command.Usage, command.Description, command.Examples), error));

    /// <summary>Only the error, with the card's "Show all commands" button.</summary>
    public JsonObject Error(string error) => cards.Render(CardTemplates.CommandHelp, new CommandHelpCardData(null, error));

    public CommandInfo? Find(string name) =>
        routes.Commands.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<string> Names => routes.Commands.Select(c => c.Name);

    /// <summary>"Did you mean 'x' or 'y'?" for a mistyped command name, or an empty string.</summary>
    public string DidYouMean(string typed)
    {
        var suggestions = CommandSuggestions.Closest(typed, Names);
        return suggestions.Count == 0 ? "" : $" Did you mean {string.Join(" or ", suggestions.Select(s => $"'{s}'"))}?";
    }

    /// <summary>User text quoted back in an error, shortened so a pasted essay does not fill the card.</summary>
    public static string Quote(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
