using System.Text.RegularExpressions;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams.Commands;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Escalations.Teams;

/// <summary>
/// <c>escalate &lt;agreement&gt; &lt;P1-P4&gt; &lt;title&gt;</c> opens an escalation against an Active agreement (its
/// name matched forgivingly: any case, or a unique beginning); <c>escalate E-&lt;id&gt; &lt;reason&gt;</c> moves an
/// open one up a level by hand. Either way the reply is the escalation's card.
/// </summary>
public sealed partial class EscalateCommandHandler(BotDbContext db, OpenEscalation open, EscalationChat chat) : IActivityHandler
{
    public static readonly CommandInfo Info = new(
        "escalate", "escalate <agreement> <P1-P4> <title> | escalate E-<id> <reason>",
        "Open a support escalation against an agreement, or move one up a level with a reason.",
        ["escalate Contoso P2 Mail server down", "escalate E-42 Customer cannot work"]) { Area = "Escalations" };

    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var line = turn.Command!;
        var tokens = line.Tokens;
        if (await chat.SenderAsync(turn, cancellationToken) is not { } me) return null;
        // An agreement's name may begin with a number, so only E-42 / E42 names an escalation here.
        if (tokens.Count > 0 && EscalationReference.TryParse(tokens[0], out var id, prefixRequired: true))
        {
            var reason = EscalationCommands.AfterFirstWord(line.Arguments);
            return reason.Length == 0
                ? await chat.UsageAsync(turn, Info, "Say why it needs the next level.", cancellationToken)
                : await chat.ActAsync(turn, Info, me, id, EscalationAction.Escalate, reason, cancellationToken);
        }

        var at = tokens.ToList().FindIndex(t => Priorities().IsMatch(t));
        if (at <= 0 || at == tokens.Count - 1)
            return await chat.UsageAsync(turn, Info, "Give the agreement, a priority P1–P4 and a title.", cancellationToken);
        var name = string.Join(' ', tokens.Take(at));
        var found = await FindAgreementsAsync(name, cancellationToken);
        if (found.Count != 1)
        {
            var error = found.Count == 0
                ? $"No active agreement is called '{HelpCards.Quote(name)}'."
                : $"'{HelpCards.Quote(name)}' could be {string.Join(", ", found.Take(5).Select(a => a.Name))}. Which one?";
            return await chat.UsageAsync(turn, Info, error, cancellationToken);
        }

        try
        {
            var escalation = await open.HandleAsync(new OpenEscalationInput(
                found[0].Id, Enum.Parse<Priority>(tokens[at], ignoreCase: true), string.Join(' ', tokens.Skip(at + 1)), null, me), cancellationToken);
            return await chat.ReplyWithCardAsync(turn, escalation, me, cancellationToken, notice: $"Opened E-{escalation.Id}; {escalation.Level} has been notified.");
        }
        catch (DomainException e)
        {
            return await chat.UsageAsync(turn, Info, e.Message, cancellationToken);
        }
    }

    /// <summary>Active agreements named <paramref name="name"/> (any case), else those whose name begins with it.</summary>
    private async Task<List<Agreement>> FindAgreementsAsync(string name, CancellationToken cancellationToken)
    {
        var active = await db.Agreements.AsNoTracking().Where(a => a.Status == AgreementStatus.Active).ToListAsync(cancellationToken);
        var exact = active.Where(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        return exact.Count > 0 ? exact : [.. active.Where(a => a.Name.StartsWith(name, StringComparison.OrdinalIgnoreCase)).OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase)];
    }

    [GeneratedRegex("^P[1-4]$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Priorities();
}
