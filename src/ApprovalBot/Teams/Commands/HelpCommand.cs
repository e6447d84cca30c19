using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Teams.Outbox;

namespace ApprovalBot.Teams.Commands;

/// <summary><c>help [command]</c>: every command with its usage, or one command in detail.</summary>
public sealed class HelpCommand(HelpCards help, Outbox.Outbox outbox) : IActivityHandler
{
    public static readonly CommandInfo Info = new(
        "help", "help [command]", "What I can do, or how to use one command.", ["help", "help escalate"]) { Area = "General" };

    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var tokens = turn.Command!.Tokens;
        if (tokens.Count == 0)
        {
            await outbox.ReplyAsync(turn, CardActivity.Create(help.All(!turn.IsPersonal), "What I can do"), cancellationToken);
        }
        else if (help.Find(tokens[0]) is { } command)
        {
            await outbox.ReplyAsync(turn, CardActivity.Create(help.One(command), $"help {command.Name}"), cancellationToken);
        }
        else
        {
            var suggestions = CommandSuggestions.Closest(tokens[0], help.Names);
            var error = suggestions.Count > 0
                ? $"There is no command '{tokens[0]}'. Did you mean {string.Join(" or ", suggestions.Select(s => $"'{s}'"))}?"
                : $"There is no command '{tokens[0]}'.";
            await outbox.ReplyAsync(turn, CardActivity.Create(help.All(!turn.IsPersonal, error), "What I can do"), cancellationToken);
        }
        return null;
    }
}
