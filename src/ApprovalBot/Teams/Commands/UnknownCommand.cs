using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Teams.Outbox;

namespace ApprovalBot.Teams.Commands;

/// <summary>
/// A message whose first word is no command: say so, suggest the closest commands, and show how to use the best
/// match (or the whole list). Never silent, never a guess that acts.
/// </summary>
public sealed class UnknownCommand(HelpCards help, Outbox.Outbox outbox) : IActivityHandler
{
    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var typed = turn.Command!.Name;
        var shown = typed.Length > 40 ? typed[..40] + "…" : typed;
        var suggestions = CommandSuggestions.Closest(typed, help.Names);
        if (suggestions.Count > 0 && help.Find(suggestions[0]) is { } best)
        {
            var error = $"I don't know the command '{shown}'. Did you mean {string.Join(" or ", suggestions.Select(s => $"'{s}'"))}? Send 'help' for everything I can do.";
            await outbox.ReplyAsync(turn, CardActivity.Create(help.One(best, error), "Unknown command"), cancellationToken);
        }
        else
        {
            var error = $"I don't know the command '{shown}'. Here is everything I can do.";
            await outbox.ReplyAsync(turn, CardActivity.Create(help.All(!turn.IsPersonal, error), "Unknown command"), cancellationToken);
        }
        return null;
    }
}
