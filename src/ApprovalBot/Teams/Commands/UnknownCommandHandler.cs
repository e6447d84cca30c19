using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Teams.Commands;

/// <summary>
/// A message whose first word is no command: say so, suggest the closest commands and show how to use the best
/// match — never silent, and never a guess that acts.
/// </summary>
public sealed class UnknownCommandHandler(HelpCards help, Outbox.Outbox outbox) : IActivityHandler
{
    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var typed = turn.Command!.Name;
        var error = $"I don't know the command '{HelpCards.Quote(typed)}'.{help.DidYouMean(typed)} Send 'help' to see everything I can do.";
        var best = CommandSuggestions.Closest(typed, help.Names).Select(help.Find).FirstOrDefault();
        var card = best is null ? help.Error(error) : help.One(best, error);
        return await outbox.ReplyWithCardAsync(turn, card, cancellationToken);
    }
}
