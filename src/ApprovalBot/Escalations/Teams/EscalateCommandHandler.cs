using System.Text.RegularExpressions;
using ApprovalBot.Agreements;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Escalations.Cards;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Commands;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Escalations.Teams;

/// <summary>
/// <c>escalate &lt;agreement&gt; &lt;P1-P4&gt; &lt;title&gt;</c> opens an escalation against an Active agreement (its
/// name matched forgivingly: any case, or a unique beginning); <c>escalate E-&lt;id&gt; &lt;reason&gt;</c> moves an
/// open one up a level by hand. Either way the reply is the escalation's card.
/// </summary>
public sealed partial class EscalateCommandHandler(
    BotDbContext db, OpenEscalation open, ActOnEscalation act, TeamsPeople people, EscalationMessages messages, HelpCards help,
    EscalationFormCards forms, global::ApprovalBot.Teams.Outbox.Outbox outbox) : IActivityHandler
{
    public static readonly CommandInfo Info = new(
        "escalate", "escalate | escalate <agreement> <P1-P4> <title> | escalate E-<id> <reason>",
        "Open a support escalation against an agreement (with no arguments: a form), or move one up a level with a reason.",
        ["escalate", "escalate Contoso P2 Mail server down", "escalate E-42 Customer cannot work"]) { Area = "Escalations" };

    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var tokens = turn.Command!.Tokens;
        if (tokens.Count == 0)
        {
            var active = await ActiveAgreementNames.ListAsync(db, cancellationToken);
            return await ReplyAsync(turn, forms.Render([.. active.Select(a => new EscalationFormAgreement(a.Id, a.Name))]), cancellationToken);
        }

        if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } me)
            return await ReplyAsync(turn, help.Error("I cannot tell who you are (your Teams account has no directory id)."), cancellationToken);
        if (EscalationReplies.ParseReference(tokens[0]) is { } id)
            return await EscalateByHandAsync(turn, me, id, string.Join(' ', tokens.Skip(1)), cancellationToken);

        var at = tokens.ToList().FindIndex(t => Priorities().IsMatch(t));
        if (at <= 0 || at == tokens.Count - 1)
            return await ReplyAsync(turn, help.One(Info, "Give the agreement, a priority P1–P4 and a title."), cancellationToken);
        var name = string.Join(' ', tokens.Take(at));
        var found = await ActiveAgreementNames.FindAsync(db, name, cancellationToken);
        if (ActiveAgreementNames.Problem(name, found) is { } problem)
            return await ReplyAsync(turn, help.One(Info, problem), cancellationToken);

        try
        {
            var escalation = await open.HandleAsync(new OpenEscalationInput(
                found[0].Id, Enum.Parse<Priority>(tokens[at], ignoreCase: true), string.Join(' ', tokens.Skip(at + 1)), null, me), cancellationToken);
            var card = await messages.CardAsync(escalation, me, cancellationToken, notice: $"Opened E-{escalation.Id}; {escalation.Level} has been notified.");
            return await ReplyAsync(turn, card, cancellationToken, EscalationMessages.Subject(escalation.Id), turn.IsPersonal ? me.Value : null);
        }
        catch (DomainException e)
        {
            return await ReplyAsync(turn, help.One(Info, e.Message), cancellationToken);
        }
    }

    private async Task<InvokeResponse?> EscalateByHandAsync(TurnContext turn, PersonId me, long id, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
            return await ReplyAsync(turn, help.One(Info, "Say why it needs the next level."), cancellationToken);
        var channel = turn.Activity.ChannelData?.Channel?.Id;
        var current = await db.Escalations.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (current is null) return await ReplyAsync(turn, help.One(Info, $"There is no escalation E-{id}."), cancellationToken);
        var result = await act.HandleAsync(new ActOnEscalationInput(id, me, channel is not null && channel == current.LevelChannelId, EscalationAction.Escalate, reason), cancellationToken);
        var card = await messages.CardAsync(result.Escalation!, me, cancellationToken,
            error: result.Refusal, notice: result.Refusal is null ? $"Escalated to {result.Escalation!.Level}; its contacts have the card." : null);
        return await ReplyAsync(turn, card, cancellationToken, EscalationMessages.Subject(id), turn.IsPersonal ? me.Value : null);
    }

    private async Task<InvokeResponse?> ReplyAsync(TurnContext turn, System.Text.Json.Nodes.JsonObject card, CancellationToken cancellationToken, string? subject = null, string? viewer = null)
    {
        await outbox.ReplyAsync(turn, CardActivities.ToMessage(card), cancellationToken, cardSubject: subject, cardViewer: viewer);
        return null;
    }

    [GeneratedRegex("^P[1-4]$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Priorities();
}
