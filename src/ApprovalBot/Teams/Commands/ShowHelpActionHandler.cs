using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;

namespace ApprovalBot.Teams.Commands;

/// <summary>The welcome card's "Show commands" button: the help card replaces the welcome card in place.</summary>
public sealed class ShowHelpActionHandler(HelpCards help) : IActivityHandler
{
    public const string Verb = "showHelp";

    public ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken) =>
        ValueTask.FromResult<InvokeResponse?>(InvokeResponse.Card(help.All(!turn.IsPersonal)));
}
