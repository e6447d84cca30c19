using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Teams.Commands;

/// <summary><c>help [command]</c>: every command with its usage, or one command in detail.</summary>
public sealed class HelpCommandHandler(HelpCards help, Outbox.Outbox outbox) : IActivityHandler
{
    public static readonly CommandInfo Info = new(
        "help", "help [command]", "What I can do, or how to use one command.", ["help", "help help"]) { Area = "General" };

    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var tokens = turn.Command!.Tokens;
        var card = tokens.Count switch
        {
            0 => help.All(!turn.IsPersonal),
            1 when help.Find(tokens[0]) is { } command => help.One(command),
            1 => help.Error($"There is no command '{HelpCards.Quote(tokens[0])}'.{help.DidYouMean(tokens[0])}"),
            _ => help.One(Info, "help takes at most one command name."),
        };
        return await outbox.ReplyWithCardAsync(turn, card, cancellationToken);
    }
}
