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
/// <c>list [mine|open|breached|&lt;agreement&gt;]</c>: active escalations as one card, most urgent first. No argument
/// means <c>open</c>; any other word is an agreement's name, matched like <c>escalate</c> matches it.
/// </summary>
public sealed class ListCommandHandler(BotDbContext db, TeamsPeople people, EscalationReplies replies, HelpCards help, global::ApprovalBot.Teams.Outbox.Outbox outbox) : IActivityHandler
{
    public static readonly CommandInfo Info = new(
        "list", "list [mine|open|breached|<agreement>]",
        "Active escalations in one card, most urgent first: all open ones (the default), yours, the breached ones, or one agreement's.",
        ["list", "list mine", "list breached", "list Contoso"]) { Area = "Escalations" };

    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var argument = string.Join(' ', turn.Command!.Tokens);
        switch (argument.ToUpperInvariant())
        {
            case "" or "OPEN":
                await replies.PostListAsync(turn, new EscalationFilter.Open(), "Open escalations", cancellationToken);
                return null;
            case "BREACHED":
                await replies.PostListAsync(turn, new EscalationFilter.Breached(), "Breached escalations", cancellationToken);
                return null;
            case "MINE":
                if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } me)
                    return await outbox.ReplyWithCardAsync(turn, help.Error("I cannot tell who you are (your Teams account has no directory id)."), cancellationToken);
                await replies.PostListAsync(turn, new EscalationFilter.Mine(me), "Your active escalations", cancellationToken);
                return null;
        }

        var found = await ActiveAgreementNames.FindAsync(db, argument, cancellationToken);
        if (ActiveAgreementNames.Problem(argument, found) is { } problem)
            return await outbox.ReplyWithCardAsync(turn, help.One(Info, $"{problem} Give mine, open, breached or an agreement's name."), cancellationToken);
        await replies.PostListAsync(turn, new EscalationFilter.OfAgreement(found[0].Id), $"Active escalations of {found[0].Name}", cancellationToken);
        return null;
    }
}

/// <summary><c>who &lt;agreement&gt;</c>: whom to call about an agreement now — its L1–L3 contacts, where its open escalations are, the provider's contacts.</summary>
public sealed class WhoCommandHandler(
    BotDbContext db, FindActiveEscalations list, TeamsPeople people, EscalationCards cards, HelpCards help, global::ApprovalBot.Teams.Outbox.Outbox outbox) : IActivityHandler
{
    public static readonly CommandInfo Info = new(
        "who", "who <agreement>",
        "Who to call about an agreement right now: the contacts of L1–L3, the level each open escalation is at, and the provider's points of contact.",
        ["who Contoso"]) { Area = "Escalations" };

    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var name = string.Join(' ', turn.Command!.Tokens);
        IReadOnlyList<Agreement> found = name.Length == 0 ? [] : await ActiveAgreementNames.FindAsync(db, name, cancellationToken);
        var problem = name.Length == 0 ? "Which agreement? Give its name." : ActiveAgreementNames.Problem(name, found);
        var card = problem is null ? await CardAsync(found[0], cancellationToken) : help.One(Info, problem);
        return await outbox.ReplyWithCardAsync(turn, card, cancellationToken);
    }

    private async Task<System.Text.Json.Nodes.JsonObject> CardAsync(Agreement agreement, CancellationToken cancellationToken)
    {
        var open = await list.HandleAsync(new EscalationFilter.OfAgreement(agreement.Id), cancellationToken);
        var terms = agreement.TermsInForce ?? agreement.Terms;
        var levels = terms.Escalation?.Levels ?? [];
        var involved = levels.SelectMany(l => l.Contacts.People)
            .Concat((terms.CommunicationPlan?.ProviderContacts ?? []).Select(c => c.Person).OfType<PersonId>());
        var names = await people.NamesAsync(involved, cancellationToken);
        var channels = await ChannelNamesAsync([.. levels.Select(l => l.Contacts.ChannelId).OfType<string>()], cancellationToken);
        return cards.RenderWho(EscalationWhoModel.Build(agreement, open, names, id => channels.GetValueOrDefault(id)));
    }

    /// <summary>"Team › Channel" for each channel id the bot has seen (it is installed in the channel's team).</summary>
    private async Task<Dictionary<string, string>> ChannelNamesAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var known = await db.ConversationReferences.AsNoTracking()
            .Where(r => r.TeamsChannelName != null && ((r.TeamsChannelId != null && ids.Contains(r.TeamsChannelId)) || ids.Contains(r.ConversationId)))
            .OrderByDescending(r => r.UpdatedAt)
            .ToListAsync(cancellationToken);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (known.FirstOrDefault(r => r.TeamsChannelId == id || r.ConversationId == id) is { } r)
                names[id] = r.TeamName is { Length: > 0 } team ? $"{team} › {r.TeamsChannelName}" : r.TeamsChannelName!;
        }

        return names;
    }
}
