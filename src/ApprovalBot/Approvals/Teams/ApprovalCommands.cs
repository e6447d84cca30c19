using System.Globalization;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Escalations;
using ApprovalBot.Escalations.Teams;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Commands;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Approvals.Teams;

/// <summary><c>approvals</c>: the requests waiting for my decision, as cards I can act on (a list when there are many).</summary>
public sealed class ApprovalsCommandHandler(BotDbContext db, TeamsPeople people, ApprovalMessages messages, ApprovalCards cards, ApprovalClock clock, HelpCards help, global::ApprovalBot.Teams.Outbox.Outbox outbox) : IActivityHandler
{
    public const int MaxCards = 5;
    public const int MaxListed = 15;

    public static readonly CommandInfo Info = new("approvals", "approvals", "The approval requests waiting for your decision.", ["approvals"]) { Area = "Approvals", InChannel = false };

    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (turn.Command!.Tokens.Count > 0)
            return await outbox.ReplyWithCardAsync(turn, help.One(Info, "approvals takes no arguments."), cancellationToken);
        if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } me)
            return await outbox.ReplyWithCardAsync(turn, help.Error("I cannot tell who you are (your Teams account has no directory id)."), cancellationToken);

        var waiting = await WaitingForAsync(db, me, cancellationToken);
        if (waiting.Count == 0)
        {
            await outbox.ReplyAsync(turn, new Activity { Type = ActivityTypes.Message, Text = "Nothing is waiting for your decision.", TextFormat = "plain" }, cancellationToken);
            return null;
        }

        if (waiting.Count <= MaxCards)
        {
            foreach (var request in waiting)
                await outbox.ReplyAsync(turn, CardActivities.ToMessage(await messages.CardAsync(request, me, cancellationToken)), cancellationToken,
                    cardSubject: turn.IsPersonal ? ApprovalMessages.Subject(request.Id) : null, cardViewer: turn.IsPersonal ? me.Value : null);
            return null;
        }

        var names = await people.NamesAsync(waiting.Select(r => r.Requester), cancellationToken);
        var zone = await people.TimeZoneAsync(me, clock.TimeZone, cancellationToken);
        var items = waiting.Take(MaxListed).Select(r => new ApprovalListItem(
            r.Id, r.Title, r.CurrentStage!.StageName, r.CurrentStageNumber, r.Stages.Count, r.CurrentStage.DueAt, r.IsOverdue(clock.Now), names(r.Requester))).ToList();
        return await outbox.ReplyWithCardAsync(turn, cards.RenderList($"{waiting.Count} requests wait for your decision", items, waiting.Count - items.Count, zone), cancellationToken);
    }

    /// <summary>Requests whose current stage has an undecided seat held by <paramref name="person"/>, oldest due first.</summary>
    public static async Task<List<ApprovalRequest>> WaitingForAsync(BotDbContext db, PersonId person, CancellationToken cancellationToken)
    {
        var candidates = await db.WholeApprovalRequests.AsNoTracking()
            .Where(r => r.Status == ApprovalStatus.InProgress && r.StageRuns.Any(run => run.Status == StageRunStatus.InProgress
                && run.Seats.Any(s => s.Decision == null && (s.Delegate == person || (s.Delegate == null && s.Owner == person)))))
            .ToListAsync(cancellationToken);
        return [.. candidates.Where(r => r.CanDecide(person)).OrderBy(r => r.CurrentStage!.DueAt)];
    }
}

/// <summary>
/// <c>status &lt;id&gt;</c>: one request's card as I see it; only for the people taking part in it. <c>status E-&lt;id&gt;</c>
/// shows an escalation's card instead, and <c>status</c> alone lists my active escalations (Escalations/Teams).
/// </summary>
public sealed class StatusCommandHandler(
    BotDbContext db, TeamsPeople people, ApprovalMessages messages, EscalationReplies escalations, HelpCards help, global::ApprovalBot.Teams.Outbox.Outbox outbox) : IActivityHandler
{
    public static readonly CommandInfo Info = new(
        "status", "status <request id> | status E-<id> | status",
        "Where an approval request stands (stages, decisions, who it waits for), or an escalation; with no argument, your active escalations.",
        ["status 42", "status #42", "status E-7", "status"]) { Area = "Approvals" };

    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var tokens = turn.Command!.Tokens;
        if (tokens.Count == 0)
        {
            if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } me)
                return await outbox.ReplyWithCardAsync(turn, help.Error("I cannot tell who you are (your Teams account has no directory id)."), cancellationToken);
            await escalations.PostListAsync(turn, new EscalationFilter.Mine(me), "Your active escalations", cancellationToken);
            return null;
        }

        if (tokens.Count == 1 && EscalationReference.TryParse(tokens[0], out var escalationId, prefixRequired: true))
        {
            return await escalations.PostCardAsync(turn, escalationId, await people.IdentifyAsync(turn.Activity, cancellationToken), cancellationToken)
                ? null
                : await outbox.ReplyWithCardAsync(turn, help.One(Info, $"There is no escalation E-{escalationId} that you take part in."), cancellationToken);
        }

        if (tokens.Count != 1 || !long.TryParse(tokens[0].TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return await outbox.ReplyWithCardAsync(turn, help.One(Info, $"'{HelpCards.Quote(string.Join(' ', tokens))}' is neither a request number (42) nor an escalation (E-42)."), cancellationToken);
        var viewer = await people.IdentifyAsync(turn.Activity, cancellationToken);
        var request = await db.WholeApprovalRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null || viewer is not { } person || !TakesPart(request, person))
            return await outbox.ReplyWithCardAsync(turn, help.One(Info, $"There is no request #{id} that you take part in."), cancellationToken);
        var shared = !turn.IsPersonal;
        var card = await messages.CardAsync(request, shared ? null : person, cancellationToken);
        return await outbox.ReplyWithCardAsync(turn, card, cancellationToken, ApprovalMessages.Subject(id), shared ? null : person.Value);
    }

    /// <summary>The requester and everyone who holds or held a seat may see a request.</summary>
    public static bool TakesPart(ApprovalRequest request, PersonId person) =>
        request.Requester == person || request.StageRuns.Any(r => r.Seats.Any(s => s.Owner == person || s.Delegate == person || s.DecidedBy == person));
}

/// <summary><c>request</c>: the form to start an approval (title, details, a link, a flow or named approvers).</summary>
public sealed class RequestCommandHandler(RequestFormCards forms, ApprovalFlows flows, HelpCards help, global::ApprovalBot.Teams.Outbox.Outbox outbox) : IActivityHandler
{
    public static readonly CommandInfo Info = new("request", "request", "Start an approval: a form for the title, details, a link and the approvers.", ["request"]) { Area = "Approvals", InChannel = false };

    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var card = turn.Command!.Tokens.Count > 0
            ? help.One(Info, "request takes no arguments: it opens a form.")
            : forms.Render(flows.Names);
        return await outbox.ReplyWithCardAsync(turn, card, cancellationToken);
    }
}

/// <summary>
/// The request form's Submit: every field error is shown on the form at once; when valid, the request starts and the
/// form turns into the request's status card (recorded as a copy of the card, so it stays current).
/// </summary>
public sealed class SubmitRequestFormHandler(SubmitApproval submit, RequestFormCards forms, ApprovalFlows flows, TeamsPeople people, ApprovalMessages messages) : IActivityHandler
{
    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var values = RequestForm.Parse(new ActionData(turn.CardAction?.Action?.Data).Element);
        if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } me)
            return InvokeResponse.Card(forms.Render(flows.Names, values, error: "I cannot tell who you are (your Teams account has no directory id)."));
        var errors = RequestForm.Validate(values, flows.Names);
        if (errors.Count > 0)
            return InvokeResponse.Card(forms.Render(flows.Names, values, errors, "Please correct the fields marked below."));

        var approvers = new List<PersonId>();
        var unknown = new List<string>();
        foreach (var address in RequestForm.ApproverAddresses(values))
        {
            if (await people.FindAsync(address, cancellationToken) is { } person) approvers.Add(person.Id);
            else unknown.Add(address);
        }
        if (unknown.Count > 0)
            return InvokeResponse.Card(forms.Render(flows.Names, values, new Dictionary<string, string> { ["approvers"] = $"Not in the directory: {string.Join(", ", unknown)}." }, "Please correct the fields marked below."));

        try
        {
            var links = RequestForm.Link(values) is { } link ? new[] { link } : [];
            var request = await submit.HandleAsync(new SubmitApprovalInput(
                me, values.Title!, values.Details, links, approvers.Count > 0 ? null : values.Flow, approvers,
                string.Equals(values.Rule, "all", StringComparison.OrdinalIgnoreCase),
                StatusCardAt: turn.IsPersonal && turn.Activity.ReplyToId is { } formId ? new PostedCard(turn.Activity.ServiceUrl!, turn.ConversationId, formId) : null), cancellationToken);
            return InvokeResponse.Card(await messages.CardAsync(request, me, cancellationToken, notice: $"Request #{request.Id} started."));
        }
        catch (DomainException e)
        {
            return InvokeResponse.Card(forms.Render(flows.Names, values, error: e.Message));
        }
    }
}
