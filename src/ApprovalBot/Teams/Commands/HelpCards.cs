using System.Text.Json.Nodes;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Teams.Commands;

/// <summary>Renders the help card, one command's help, and "what was wrong" answers for mistyped commands.</summary>
public sealed class HelpCards(CardRenderer cards, ActivityRouteTable routes)
{
    public JsonObject All(bool inChannel, string? error = null) =>
        cards.Render(CardTemplates.Help, new
        {
            title = "What I can do",
            intro = "I run the approval of IT support agreements and hold providers to them: SLA escalations L1 → L2 → L3, the communication plan, and status digests.",
            error,
            commands = routes.Commands
                .Where(c => inChannel ? c.InChannel : c.InPersonal)
                .Select(c => new { name = c.Name, usage = c.Usage, description = c.Description, area = c.Area, example = c.Examples.FirstOrDefault() ?? "" })
                .ToList(),
            hint = inChannel ? "In a channel, @mention me first: @ApprovalBot help" : "In a channel, @mention me first. Send 'help <command>' for details.",
        });

    public JsonObject One(CommandInfo command, string? error = null) =>
        cards.Render(CardTemplates.CommandHelp, new
        {
            name = command.Name,
            usage = command.Usage,
            description = command.Description,
            examples = command.Examples.Select(e => new { text = e }).ToList(),
            error,
        });

    public CommandInfo? Find(string name) =>
        routes.Commands.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<string> Names => routes.Commands.Select(c => c.Name);
}
