using ApprovalBot.Approvals.Teams;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Commands;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Agreements.Term;

/// <summary>
/// <c>terminate &lt;agreement&gt; &lt;reason&gt;</c>: ends an Active agreement at its notice date, for its oversight
/// owners and Management. Names and reasons both have spaces: the longest leading words that name an Active agreement
/// (any case) are the name, else the first word matched forgivingly; the rest is the reason. Not in the Teams menu.
/// </summary>
public sealed class TerminateCommandHandler(
    BotDbContext db, DecideTerm decide, TermMessages messages, TeamsPeople people, HelpCards help, global::ApprovalBot.Teams.Outbox.Outbox outbox) : IActivityHandler
{
    public static readonly CommandInfo Info = new(
        "terminate", "terminate <agreement> <reason>",
        "Terminate an active agreement with notice: it ends at the notice date (today + its notice period). The reason is one of the agreement's accepted termination reasons. Oversight owners and Management only.",
        ["terminate Contoso Repeated SLA breaches"]) { Area = "Agreements", InMenu = false };

    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var tokens = turn.Command!.Tokens;
        if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } me)
            return await outbox.ReplyWithCardAsync(turn, help.One(Info, "I cannot tell who you are (your Teams account has no directory id)."), cancellationToken);
        if (tokens.Count < 2)
            return await outbox.ReplyWithCardAsync(turn, help.One(Info, "Give the agreement and the reason."), cancellationToken);

        var (agreement, reason, problem) = await SplitAsync(tokens, cancellationToken);
        if (agreement is null)
            return await outbox.ReplyWithCardAsync(turn, help.One(Info, problem), cancellationToken);
        if (reason.Length == 0)
            return await outbox.ReplyWithCardAsync(turn, help.One(Info, ReasonsHint(agreement, "Give the reason.")), cancellationToken);

        var result = await decide.HandleAsync(new DecideTermInput(agreement.Id, me, TermAction.Terminate, reason), cancellationToken);
        if (result.Refusal is { } refusal)
        {
            var text = result.RefusalCode == "agreement.termination_reason" ? ReasonsHint(agreement, refusal) : refusal;
            return await outbox.ReplyWithCardAsync(turn, help.One(Info, text), cancellationToken);
        }
        var card = await messages.CardAsync(result.Agreement!, me, viewerMayDecide: true, cancellationToken, notice: result.Notice);
        return await outbox.ReplyWithCardAsync(turn, card, cancellationToken, TermMessages.Subject(agreement.Id), me.Value);
    }

    private static string ReasonsHint(Agreement agreement, string error)
    {
        var reasons = agreement.AcceptedTerminationReasons;
        return reasons.Count == 0 || error.Contains(reasons[0], StringComparison.Ordinal)
            ? error
            : $"{error} Accepted reasons for {agreement.Name}: {string.Join("; ", reasons)}.";
    }

    private async Task<(Agreement? Agreement, string Reason, string Problem)> SplitAsync(IReadOnlyList<string> tokens, CancellationToken cancellationToken)
    {
        var active = await ActiveAgreementNames.ListAsync(db, cancellationToken);
        for (var i = tokens.Count - 1; i >= 1; i--)
        {
            var name = string.Join(' ', tokens.Take(i));
            var exact = active.Where(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (exact.Count == 1) return (exact[0], string.Join(' ', tokens.Skip(i)), "");
        }
        var found = ActiveAgreementNames.Match(active, tokens[0]);
        if (found.Count == 1) return (found[0], string.Join(' ', tokens.Skip(1)), "");
        var problem = await ActiveAgreementNames.EndedProblemAsync(db, tokens[0], TimeZoneInfo.Utc, cancellationToken)
            ?? ActiveAgreementNames.Problem(tokens[0], found)!;
        return (null, "", problem);
    }
}

/// <summary>
/// Renew / Let expire / Terminate on the end-of-term card. Answers with the card as the clicker sees it now, with what
/// happened or why nothing did (not an owner; already decided; ended): a stale or foreign click changes nothing.
/// </summary>
public sealed class TermActionHandler(BotDbContext db, DecideTerm decide, TermMessages messages, TeamsPeople people) : IActivityHandler
{
    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var action = turn.CardAction?.Action;
        var data = new ActionData(action?.Data);
        if (data.Number("agreementId") is not { } id)
            return InvokeResponse.Error(400, "BadRequest", "This card is missing its agreement.");
        if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } actor)
            return InvokeResponse.Message("I cannot tell who you are (your Teams account has no directory id).");
        var verb = action!.Verb switch
        {
            TermVerbs.Renew => TermAction.Renew,
            TermVerbs.LetExpire => TermAction.LetExpire,
            _ => TermAction.Terminate,
        };
        var reason = data.Text(TermVerbs.ReasonInput);
        if (verb == TermAction.Terminate && reason is null)
        {
            var current = await db.Agreements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
            if (current is null) return InvokeResponse.Message($"Agreement #{id} does not exist.");
            return InvokeResponse.Card(await messages.CardAsync(current, actor, await decide.MayDecideAsync(current, actor, cancellationToken), cancellationToken,
                error: "Choose the reason for the termination, then press Terminate."));
        }
        var result = await decide.HandleAsync(new DecideTermInput(id, actor, verb, reason), cancellationToken);
        if (result.Agreement is not { } agreement) return InvokeResponse.Message($"Agreement #{id} does not exist.");
        return InvokeResponse.Card(await messages.CardAsync(agreement, actor, await decide.MayDecideAsync(agreement, actor, cancellationToken), cancellationToken,
            error: result.Refusal, notice: result.Notice));
    }
}
