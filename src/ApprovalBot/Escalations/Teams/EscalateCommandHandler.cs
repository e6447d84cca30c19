using System.Text.RegularExpressions;
using ApprovalBot.Agreements;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Escalations.Cards;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Commands;

namespace ApprovalBot.Escalations.Teams;

/// <summary>
/// <c>escalate &lt;agreement&gt; &lt;P1-P4&gt; &lt;title&gt;</c> opens an escalation against an Active agreement (its
/// name matched forgivingly: any case, or a unique beginning); <c>escalate E-&lt;id&gt; &lt;reason&gt;</c> moves an
/// open one up a level by hand. Either way the reply is the escalation's card. <c>escalate</c> alone posts the escalation
/// form (<see cref="SubmitEscalationFormHandler"/> takes it from there).
/// </summary>
public sealed partial class EscalateCommandHandler(
    BotDbContext db, OpenEscalation open, EscalationChat chat, EscalationFormCards forms, global::ApprovalBot.Teams.Outbox.Outbox outbox) : IActivityHandler
{
    public static readonly CommandInfo Info = new(
        "escalate", "escalate | escalate <agreement> <P1-P4> <title> | escalate E-<id> <reason>",
        "Open a support escalation against an agreement (with no arguments: a form), or move one up a level with a reason.",
        ["escalate", "escalate Contoso P2 Mail server down", "escalate E-42 Customer cannot work"]) { Area = "Escalations" };

    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var line = turn.Command!;
        var tokens = line.Tokens;
        if (tokens.Count == 0)
        {
            var active = await ActiveAgreementNames.ListAsync(db, cancellationToken);
            await outbox.ReplyAsync(turn, CardActivities.ToMessage(forms.Render([.. active.Select(a => new EscalationFormAgreement(a.Id, a.Name))])), cancellationToken);
            return null;
        }

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
        var found = await ActiveAgreementNames.FindAsync(db, name, cancellationToken);
        if (ActiveAgreementNames.Problem(name, found) is { } problem)
            return await chat.UsageAsync(turn, Info, found.Count == 0 && await ActiveAgreementNames.EndedProblemAsync(db, name, TimeZoneInfo.Utc, cancellationToken) is { } ended ? ended : problem, cancellationToken);

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

    [GeneratedRegex("^P[1-4]$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Priorities();
}
