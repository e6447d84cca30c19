using System.Globalization;
using System.Text.Json.Nodes;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.CommunicationPlans;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Outbox;
using Microsoft.EntityFrameworkCore;
using ApprovalBot.Scheduling;

namespace ApprovalBot.CommunicationPlans;

/// <summary>
/// Everything people see of a communication plan, staged in the outbox with the change that causes it (rule 13): the
/// reminders, overdue notices, escalations and missed notices of an update obligation (1:1 to each person, with the
/// plan's contacts who have a Teams id), a posted update in the plan's destination (a channel or a 1:1 chat), and the
/// review meeting's agenda. All are <c>notice</c> cards; the provider's text is data in a TextRun. Dedupe keys name the
/// obligation (or review) and step, so a retried timer or use case stages each message once.
/// </summary>
public sealed partial class PlanMessages(BotDbContext db, Outbox outbox, TeamsPeople people, CardRenderer cards, ILogger<PlanMessages> logger)
{
    /// <summary>The Teams people among the provider's points of contact.</summary>
    public static IReadOnlyList<PersonId> ProviderPeople(CommunicationPlan plan) =>
        [.. (plan ?? throw new ArgumentNullException(nameof(plan))).ProviderContacts.Select(c => c.Person).OfType<PersonId>().Distinct()];

    /// <summary>Our Teams people among the points of contact, and the oversight owners.</summary>
    public static IReadOnlyList<PersonId> OurPeople(AgreementTerms terms) =>
        [.. (terms ?? throw new ArgumentNullException(nameof(terms))).OversightOwners
            .Concat((terms.CommunicationPlan?.OurContacts ?? []).Select(c => c.Person).OfType<PersonId>()).Distinct()];

    /// <summary>Stages the notices of <paramref name="steps"/> of <paramref name="obligation"/>. Call before saving.</summary>
    public async Task StageStepsAsync(Agreement agreement, UpdateObligation obligation, IEnumerable<UpdateStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(obligation);
        ArgumentNullException.ThrowIfNull(steps);
        var terms = agreement.TermsInForce ?? agreement.Terms;
        var plan = terms.CommunicationPlan;
        if (plan is null) return;
        var zone = PlanZone(plan);
        var provider = terms.ProviderName ?? "The provider";
        foreach (var step in steps)
        {
            var to = step is UpdateStep.Reminder or UpdateStep.Overdue ? ProviderPeople(plan) : terms.OversightOwners;
            if (to.Count == 0) LogNobody(logger, obligation.Id, step);
            foreach (var person in to)
            {
                var personZone = await people.TimeZoneAsync(person, zone, cancellationToken);
                var due = ApprovalCardModel.FormatTime(obligation.DueAt, personZone);
                var usage = $"update {agreement.Name} <your update>";
                var card = step switch
                {
                    UpdateStep.Reminder => Notice($"Update due: {agreement.Name}", $"Your update on {agreement.Name} is due {due}. Post it with: {usage}", NoticeTone.Default,
                        Fact("Due", due), Fact("Goes to", Destination(plan))),
                    UpdateStep.Overdue => Notice($"Update overdue: {agreement.Name}", $"Your update on {agreement.Name} was due {due} and has not been posted. Post it now with: {usage}. It still counts, as late.", NoticeTone.Warning,
                        Fact("Was due", due)),
                    UpdateStep.Escalation => Notice($"Provider update overdue: {agreement.Name}", $"{provider} has not posted the update that was due {due}. Their contacts were told at the due time. You get this as an oversight owner.", NoticeTone.Attention,
                        Fact("Was due", due), Fact("Provider contacts", string.Join(", ", plan.ProviderContacts.Select(c => c.Name)))),
                    _ => Notice($"Provider update missed: {agreement.Name}", $"{provider} posted no update for the period due {due}; it is recorded as missed and counts against cadence compliance.", NoticeTone.Attention,
                        Fact("Was due", due)),
                };
                await SendToPersonAsync(person, card, Invariant($"plan-update:{obligation.Id}:{step}:to:{person.Value}"), obligation.Id, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Posts the provider's update into the plan's destination. <paramref name="obligation"/> null: an additional update,
    /// not counted. Returns null when staged, else why it cannot be delivered (nothing is staged then).
    /// </summary>
    public async Task<string?> StagePostAsync(Agreement agreement, UpdateObligation? obligation, string text, string byName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var plan = (agreement.TermsInForce ?? agreement.Terms).CommunicationPlan;
        if (plan is null) return "the agreement has no communication plan";
        var zone = PlanZone(plan);
        var status = obligation?.State switch
        {
            UpdateState.OnTime => "On time",
            UpdateState.Late => "Late",
            _ => "Additional update (the one due was already posted)",
        };
        var facts = new List<NoticeFact> { Fact("Posted by", byName), Fact("Posted", ApprovalCardModel.FormatTime(now, zone)), Fact("Status", status) };
        if (obligation is not null) facts.Add(Fact("Was due", ApprovalCardModel.FormatTime(obligation.DueAt, zone)));
        var card = Notice($"Provider update: {agreement.Name}", text, obligation?.State == UpdateState.Late ? NoticeTone.Warning : NoticeTone.Good, [.. facts]);
        var key = obligation is null
            ? $"plan-post:{agreement.Id}:{Outbox.Hash($"{byName}\n{now.ToUnixTimeMilliseconds()}\n{text}")}"
            : Invariant($"plan-post:{obligation.Id}");
        if (plan.UpdatesGoTo.Kind == UpdateDestinationKind.Channel)
        {
            var channel = plan.UpdatesGoTo.ChannelId!;
            var reference = await db.ConversationReferences
                .Where(r => (r.TeamsChannelId == channel || r.ConversationId == channel) && r.IsReachable)
                .OrderByDescending(r => r.UpdatedAt).FirstOrDefaultAsync(cancellationToken);
            if (reference is null) return "the bot is not installed in the team of the plan's channel";
            await outbox.SendAsync(reference, CardActivities.ToMessage(card), key, cancellationToken);
            return null;
        }

        var reach = await people.ReachAsync(plan.UpdatesGoTo.Person!.Value, cancellationToken);
        if (reach is Reach.Unreachable unreachable) return unreachable.Why;
        await outbox.SendAsync(reach, CardActivities.ToMessage(card), key, cancellationToken);
        return null;
    }

    /// <summary>Stages the agenda of the review at <paramref name="reviewAt"/> for each of <paramref name="to"/>.</summary>
    public async Task StageAgendaAsync(Agreement agreement, DateTimeOffset reviewAt, IReadOnlyList<PersonId> to, ReviewAgenda agenda, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(agenda);
        var zone = PlanZone((agreement.TermsInForce ?? agreement.Terms).CommunicationPlan!);
        foreach (var person in to)
        {
            var personZone = await people.TimeZoneAsync(person, zone, cancellationToken);
            var at = ApprovalCardModel.FormatTime(reviewAt, personZone);
            var since = agenda.Since is { } s ? ApprovalCardModel.FormatTime(s, personZone) : "the agreement's activation";
            var facts = new List<NoticeFact> { Fact("Review", at), Fact("Since", since) };
            facts.AddRange(agenda.Items.Select(i => Fact(i.Title, i.Value)));
            var card = Notice($"Review meeting: {agreement.Name}", $"Agenda for the review on {at}: open escalations, SLA breaches and KPIs since the last review.", NoticeTone.Default, [.. facts]);
            await SendToPersonAsync(person, card, Invariant($"plan-review:{agreement.Id}:{reviewAt.ToUnixTimeSeconds()}:to:{person.Value}"), agreement.Id, cancellationToken);
        }
    }

    /// <summary>The plan's time zone, or UTC when the server does not know it.</summary>
    public static TimeZoneInfo PlanZone(CommunicationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return ZonedCron.ZoneOrUtc(plan.UpdateCadence.TimeZoneId);
    }

    /// <summary>"the plan's channel" or "a 1:1 chat".</summary>
    public static string Destination(CommunicationPlan plan) =>
        (plan ?? throw new ArgumentNullException(nameof(plan))).UpdatesGoTo.Kind == UpdateDestinationKind.Channel ? "the plan's Teams channel" : "a 1:1 chat with our contact";

    private JsonObject Notice(string title, string text, NoticeTone tone, params NoticeFact[] facts) =>
        cards.Render(CardTemplates.Notice, new NoticeCardData(ApprovalCardModel.Shorten(title, 200), text, tone, facts));

    private static NoticeFact Fact(string title, string value) => new(title, value);

    private async Task SendToPersonAsync(PersonId person, JsonObject card, string key, long subject, CancellationToken cancellationToken)
    {
        var reach = await people.ReachAsync(person, cancellationToken);
        if (reach is Reach.Unreachable unreachable) LogUnreachable(logger, subject, person.Value, unreachable.Why);
        else await outbox.SendAsync(reach, CardActivities.ToMessage(card), key, cancellationToken);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 4500, Level = LogLevel.Warning, Message = "Communication plan {Subject}: {Target} cannot be reached: {Why}")]
    private static partial void LogUnreachable(ILogger logger, long subject, string target, string why);

    [LoggerMessage(EventId = 4501, Level = LogLevel.Warning, Message = "Update obligation {ObligationId}: nobody to tell about {Step} (no contact with a Teams id)")]
    private static partial void LogNobody(ILogger logger, long obligationId, UpdateStep step);
}

/// <summary>The agenda of a review meeting: one line per item (title and value), and since when it counts.</summary>
public sealed record ReviewAgenda(DateTimeOffset? Since, IReadOnlyList<NoticeFact> Items);
