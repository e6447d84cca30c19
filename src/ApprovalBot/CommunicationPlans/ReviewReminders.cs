using System.Globalization;
using ApprovalBot.Approvals;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Kpis;
using ApprovalBot.Escalations;
using ApprovalBot.Escalations.Cards;
using ApprovalBot.Kpis;
using ApprovalBot.Kpis.Cards;
using ApprovalBot.Scheduling;
using ApprovalBot.Storage;
using ApprovalBot.Teams.Cards;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.CommunicationPlans;

/// <summary>
/// A fired review reminder (fencing token = the review's Unix seconds): while the review is still ahead and is still an
/// occurrence of the agreement's review cadence, both sides' contacts (with a Teams id) and the oversight owners get the
/// agenda — open escalations of the agreement, SLA breaches since the last review, the KPIs since the last review — each
/// once (the outbox dedupes by review and person). Then the next review's reminder is armed. A reminder that fires more
/// than <see cref="LateGrace"/> after its review began (the bot was down) is skipped; an agreement no longer Active stops
/// the timer.
/// </summary>
public sealed partial class ReviewTimerHandler(
    BotDbContext db, PlanMessages messages, PlanTimers timers, FindActiveEscalations escalations, ComputeKpis kpis, ApprovalClock clock,
    ILogger<ReviewTimerHandler> logger) : ITimerHandler
{
    /// <summary>A reminder that fires later than this after its review began (the bot was down) is skipped.</summary>
    public static readonly TimeSpan LateGrace = TimeSpan.FromHours(1);

    /// <summary>Most escalations listed by name on the agenda.</summary>
    public const int MaxEscalations = 8;

    public async Task HandleAsync(TimerFire fire, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fire);
        if (!long.TryParse(fire.SubjectId, CultureInfo.InvariantCulture, out var id)) return;
        var agreement = await db.Agreements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        var now = clock.Now;
        var review = DateTimeOffset.FromUnixTimeSeconds(fire.FencingToken);
        var cadence = agreement?.TermsInForce?.CommunicationPlan?.ReviewCadence;
        var schedule = cadence is null ? null : ZonedCron.TryCreate(cadence.Cron, cadence.TimeZoneId, out _);
        if (agreement is null)
        {
            await timers.CancelReviewAsync(id, cancellationToken);
            return;
        }

        if (schedule is null)
        {
            await timers.ArmReviewAsync(agreement, now, now, cancellationToken); // not Active, or no usable review cadence: cancels
            return;
        }

        if (now <= review + LateGrace && schedule.Next(review.AddSeconds(-1)) == review)
        {
            var terms = agreement.TermsInForce!;
            var to = PlanMessages.ProviderPeople(terms.CommunicationPlan!).Concat(PlanMessages.OurPeople(terms)).Distinct().ToList();
            var agenda = await AgendaAsync(agreement, schedule.Previous(review) is { } last && last >= agreement.ActivatedAt ? last : agreement.ActivatedAt, cancellationToken);
            await messages.StageAgendaAsync(agreement, review, to, agenda, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            LogSent(logger, id, review, to.Count);
        }

        await timers.ArmReviewAsync(agreement, review > now ? review : now, now, cancellationToken); // the next review after this one
    }

    /// <summary>The agenda: open escalations (most urgent first), SLA breaches since <paramref name="since"/>, KPIs since then.</summary>
    public async Task<ReviewAgenda> AgendaAsync(Agreement agreement, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var now = clock.Now;
        var from = since ?? agreement.CreatedAt;
        var items = new List<NoticeFact>();
        var open = await escalations.HandleAsync(new EscalationFilter.OfAgreement(agreement.Id), cancellationToken);
        items.Add(new NoticeFact("Open escalations", open.Count == 0 ? "none" : Invariant($"{open.Count}")));
        foreach (var e in open.Take(MaxEscalations))
        {
            var standing = EscalationListModel.Standing(e, now) switch
            {
                SlaStanding.Breached => "breached",
                SlaStanding.AtRisk => "at risk",
                _ => "on track",
            };
            items.Add(new NoticeFact(EscalationCardModel.Reference(e.Id), $"{e.Priority} · {e.Level} · {standing} · {e.Title}"));
        }

        if (open.Count > MaxEscalations) items.Add(new NoticeFact("…", Invariant($"and {open.Count - MaxEscalations} more: list {agreement.Name}")));

        var breached = await db.Escalations.AsNoTracking()
            .Where(e => e.AgreementId == agreement.Id && ((e.ResponseBreachedAt != null && e.ResponseBreachedAt >= from) || (e.ResolutionBreachedAt != null && e.ResolutionBreachedAt >= from)))
            .ToListAsync(cancellationToken);
        var breaches = breached.Select(e => (e.ResponseBreachedAt >= from ? 1 : 0) + (e.ResolutionBreachedAt >= from ? 1 : 0)).Sum();
        items.Add(new NoticeFact("SLA breaches since the last review", breaches == 0 ? "none"
            : Invariant($"{breaches}: ") + string.Join(", ", breached.OrderBy(e => e.Id).Take(MaxEscalations).Select(e => EscalationCardModel.Reference(e.Id)))));

        var period = new KpiPeriod("since the last review", "since the last review", from, now, ToDate: true);
        var report = (await kpis.HandleAsync(agreement.Id, period, cancellationToken)).Overall!;
        items.Add(new NoticeFact("KPIs since the last review", KpiCardModel.Summary(report)));
        items.Add(new NoticeFact("Cadence compliance", report.CadenceCompliance.Percent is { } percent
            ? Invariant($"{percent:0.0} % ({report.CadenceCompliance.Count} due)")
            : report.CadenceCompliance.NotMeasured ?? "nothing due"));
        return new ReviewAgenda(since, items);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 4540, Level = LogLevel.Information, Message = "Review reminder for agreement {AgreementId} (review {ReviewAt:o}) sent to {Count} people")]
    private static partial void LogSent(ILogger logger, long agreementId, DateTimeOffset reviewAt, int count);
}
