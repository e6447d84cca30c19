using System.Globalization;
using ApprovalBot.Agreements;
using ApprovalBot.Approvals.Teams;
using ApprovalBot.Breaches.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Commands;

namespace ApprovalBot.Breaches.Teams;

/// <summary>
/// <c>breach &lt;agreement&gt; &lt;summary&gt;</c> opens a data-protection incident against an Active agreement (anyone
/// known to the directory may report one); <c>breach close &lt;incident&gt; &lt;note&gt;</c> closes one. Names and
/// summaries both have spaces: the longest leading words that name an Active agreement (any case) are the name, else
/// the first word matched forgivingly. The answer is the reporter's copy of the incident card. Not in the Teams menu.
/// </summary>
public sealed class BreachCommandHandler(
    BotDbContext db, ReportBreach report, ActOnBreach act, BreachMessages messages, TeamsPeople people, HelpCards help, global::ApprovalBot.Teams.Outbox.Outbox outbox) : IActivityHandler
{
    public static readonly CommandInfo Info = new(
        "breach", "breach <agreement> <summary>  |  breach close <incident> <note>",
        "Report a personal-data breach under an active agreement: both sides' data-protection contacts are notified at once, and the agreement's notification clock (e.g. 72 hours) starts, with warnings at 50, 75 and 90 %. Close it (the reporter, an oversight owner or a data-protection contact) with breach close and a note; that stops the clock.",
        ["breach Contoso help desk Backup tapes with customer data lost in transit", "breach close B-12 Both supervisory notifications sent"]) { Area = "Agreements", InMenu = false };

    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var tokens = turn.Command!.Tokens;
        if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } me)
            return await outbox.ReplyWithCardAsync(turn, help.One(Info, "I cannot tell who you are (your Teams account has no directory id)."), cancellationToken);
        if (tokens.Count >= 1 && string.Equals(tokens[0], "close", StringComparison.OrdinalIgnoreCase) && tokens.Count >= 2 && ParseReference(tokens[1]) is { } id)
            return await CloseAsync(turn, me, id, string.Join(' ', tokens.Skip(2)), cancellationToken);
        if (tokens.Count < 2)
            return await outbox.ReplyWithCardAsync(turn, help.One(Info, "Give the agreement and a summary of the breach."), cancellationToken);

        var (agreement, summary, problem) = await SplitAsync(tokens, cancellationToken);
        if (agreement is null)
            return await outbox.ReplyWithCardAsync(turn, help.One(Info, problem), cancellationToken);
        if (summary.Length == 0)
            return await outbox.ReplyWithCardAsync(turn, help.One(Info, "Give a summary of the breach: what happened, to which data."), cancellationToken);

        try
        {
            var breach = await report.HandleAsync(new ReportBreachInput(agreement.Id, summary, me, ReporterHasCopy: true), cancellationToken);
            var card = await messages.CardAsync(breach, me, cancellationToken,
                notice: $"Reported as {breach.Reference}. The contacts reachable in Teams have the card; call those listed as not reachable.");
            return await outbox.ReplyWithCardAsync(turn, card, cancellationToken, BreachMessages.Subject(breach.Id), me.Value);
        }
        catch (DomainException e)
        {
            return await outbox.ReplyWithCardAsync(turn, help.One(Info, e.Message), cancellationToken);
        }
    }

    private async Task<InvokeResponse?> CloseAsync(TurnContext turn, PersonId me, long id, string note, CancellationToken cancellationToken)
    {
        if (note.Trim().Length == 0)
            return await outbox.ReplyWithCardAsync(turn, help.One(Info, "Give a note when you close an incident: what was done, who was notified."), cancellationToken);
        var result = await act.HandleAsync(new ActOnBreachInput(id, me, BreachAction.Close, note), cancellationToken);
        if (result.Breach is not { } breach)
            return await outbox.ReplyWithCardAsync(turn, help.One(Info, string.Create(CultureInfo.InvariantCulture, $"There is no incident B-{id}.")), cancellationToken);
        if (result.Refusal is { } refusal && result.RefusalCode == "breach.forbidden")
            return await outbox.ReplyWithCardAsync(turn, help.One(Info, refusal), cancellationToken);
        var card = await messages.CardAsync(breach, me, cancellationToken, error: result.Refusal, notice: result.Notice);
        return await outbox.ReplyWithCardAsync(turn, card, cancellationToken, BreachMessages.Subject(breach.Id), me.Value);
    }

    /// <summary>"B-12", "b12", "#12" or "12" → 12.</summary>
    public static long? ParseReference(string text)
    {
        var s = (text ?? "").Trim();
        if (s.StartsWith("B-", StringComparison.OrdinalIgnoreCase)) s = s[2..];
        else if (s.StartsWith('B') || s.StartsWith('b') || s.StartsWith('#')) s = s[1..];
        return long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;
    }

    private async Task<(Agreement? Agreement, string Summary, string Problem)> SplitAsync(IReadOnlyList<string> tokens, CancellationToken cancellationToken)
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
        // Not an Active agreement: say so plainly when the leading words name one that has ended.
        for (var i = tokens.Count - 1; i >= 1; i--)
        {
            if (await ActiveAgreementNames.EndedProblemAsync(db, string.Join(' ', tokens.Take(i)), TimeZoneInfo.Utc, cancellationToken) is { } ended)
                return (null, "", ended);
        }
        return (null, "", ActiveAgreementNames.Problem(tokens[0], found)!);
    }
}

/// <summary>
/// Acknowledge on the incident card. Answers with the card as the clicker sees it now, with what happened or why
/// nothing did (not a data-protection contact; already acknowledged; closed): a stale or foreign click changes nothing.
/// </summary>
public sealed class BreachActionHandler(ActOnBreach act, BreachMessages messages, TeamsPeople people) : IActivityHandler
{
    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var data = new ActionData(turn.CardAction?.Action?.Data);
        if (data.Number("breachId") is not { } id)
            return InvokeResponse.Error(400, "BadRequest", "This card is missing its incident.");
        if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } actor)
            return InvokeResponse.Message("I cannot tell who you are (your Teams account has no directory id).");
        var result = await act.HandleAsync(new ActOnBreachInput(id, actor, BreachAction.Acknowledge), cancellationToken);
        if (result.Breach is not { } breach) return InvokeResponse.Message(string.Create(CultureInfo.InvariantCulture, $"Incident B-{id} does not exist."));
        return InvokeResponse.Card(await messages.CardAsync(breach, actor, cancellationToken, error: result.Refusal, notice: result.Notice));
    }
}
