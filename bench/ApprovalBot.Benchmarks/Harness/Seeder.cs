using System.Globalization;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Digests;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.TestSupport.Storage;

namespace ApprovalBot.Benchmarks.Harness;

/// <summary>
/// Writes the benchmark's data straight into a migrated database through the domain's own factories (so every row is
/// one the bot could have made), in batches. No outbox messages and no timers: the bot's timer auditors arm the
/// missing timers when it starts, as after a restore. Seeding is never part of a measurement.
/// </summary>
internal static class Seeder
{
    public static readonly PersonId Requester = new("bench-requester");
    public static readonly PersonId Reporter = new("bench-reporter");
    private const int BatchSize = 1000;
    private static readonly IBusinessCalendar Utc = BusinessCalendar.TwentyFourSeven("UTC");

    /// <summary>The person (Entra object id) of approver <paramref name="index"/>; their Teams id is <c>29:</c> + it.</summary>
    public static PersonId Approver(int index) => new(string.Create(CultureInfo.InvariantCulture, $"bench-approver-{index:00000}"));

    /// <summary>
    /// <paramref name="approvers"/> × <paramref name="perApprover"/> pending one-stage requests, each waiting for one
    /// approver only (approvers <paramref name="firstApprover"/> onwards); returns the request ids of each approver
    /// (index 0 is <paramref name="firstApprover"/>), in order.
    /// </summary>
    public static async Task<IReadOnlyList<long>[]> PendingApprovalsAsync(ITestDatabase database, int firstApprover, int approvers, int perApprover, DateTimeOffset now)
    {
        var ids = Enumerable.Range(0, approvers).Select(_ => new List<long>()).ToArray();
        var resolver = new PeopleResolver();
        var pending = new List<(int Approver, ApprovalRequest Request)>();
        for (var round = 0; round < perApprover; round++)
        {
            for (var a = 0; a < approvers; a++)
            {
                var flow = ApprovalFlow.Create("Benchmark", [new StageDefinition("Approver", ApproverRule.People(Approver(firstApprover + a)), DecisionRule.Any, TimeSpan.FromDays(5))]);
                var request = await ApprovalRequest.SubmitAsync(
                    new NewApprovalRequest(string.Create(CultureInfo.InvariantCulture, $"Benchmark request {round}/{a}"), "Seeded by the benchmark.", Requester, ApprovalSubject.Other()),
                    flow, resolver, Utc, now.AddMinutes(-5));
                pending.Add((a, request));
                if (pending.Count >= BatchSize) await SaveAsync(database, pending, ids);
            }
        }
        await SaveAsync(database, pending, ids);
        return [.. ids.Select(l => (IReadOnlyList<long>)l)];

        static async Task SaveAsync(ITestDatabase database, List<(int Approver, ApprovalRequest Request)> batch, List<long>[] ids)
        {
            if (batch.Count == 0) return;
            await using (var db = database.CreateContext())
            {
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                db.ApprovalRequests.AddRange(batch.Select(p => p.Request));
                await db.SaveChangesAsync();
            }
            foreach (var (approver, request) in batch) ids[approver].Add(request.Id);
            batch.Clear();
        }
    }

    /// <summary>An Active agreement whose P1 is answered within <paramref name="response"/> around the clock; L1–L3 are bench people.</summary>
    public static async Task<Agreement> AgreementAsync(ITestDatabase database, DateTimeOffset now, TimeSpan response)
    {
        var level = (SupportLevel l) => new EscalationLevel(l, new EscalationContacts([new PersonId("bench-" + l.ToString().ToLowerInvariant())], null), l.ToString());
        var terms = SampleTerms.CompleteAt(now) with
        {
            OversightOwners = [new PersonId("bench-owner")],
            ServiceLevels = new ServiceLevelTargets([
                new PriorityTarget(Priority.P1, response, response * 8, aroundTheClock: true),
                new PriorityTarget(Priority.P2, TimeSpan.FromHours(1), TimeSpan.FromHours(8), aroundTheClock: true),
                new PriorityTarget(Priority.P3, TimeSpan.FromHours(4), TimeSpan.FromDays(2), aroundTheClock: true),
                new PriorityTarget(Priority.P4, TimeSpan.FromDays(2), TimeSpan.FromDays(20), aroundTheClock: true)]),
            Escalation = new EscalationProcedure([level(SupportLevel.L1), level(SupportLevel.L2), level(SupportLevel.L3)]),
        };
        var directory = new PeopleResolver();
        var agreement = Agreement.CreateDraft("Benchmark help desk", terms, People.Alice, now.AddDays(-10));
        var request = await AgreementApproval.SubmitAsync(agreement, BuiltInFlows.Agreement(), People.Alice, null, directory, Utc, now.AddDays(-9));
        foreach (var approver in new[] { People.Bob, People.Lena, People.Mia })
        {
            (await request.ApproveAsync(approver, request.CurrentCard, null, directory, Utc, now.AddDays(-8))).ThrowIfRefused();
            agreement.ApplyApprovalOutcome(request, now.AddDays(-8));
        }
        if (agreement.Status != AgreementStatus.Active) throw new InvalidOperationException($"The benchmark agreement is {agreement.Status}, not Active.");
        await using var db = database.CreateContext();
        db.Agreements.Add(agreement);
        await db.SaveChangesAsync();
        return agreement;
    }

    /// <summary>
    /// One open escalation per deadline in <paramref name="responseDeadlines"/>: opened one response target before it,
    /// so its next timer (L1's missed acknowledgement) is exactly that instant. Returns the ids in the given order.
    /// </summary>
    public static async Task<List<long>> OpenEscalationsAsync(ITestDatabase database, Agreement agreement, Priority priority, IReadOnlyList<DateTimeOffset> responseDeadlines)
    {
        var policy = EscalationPolicy.From(agreement, priority);
        var ids = new List<long>(responseDeadlines.Count);
        for (var start = 0; start < responseDeadlines.Count; start += BatchSize)
        {
            var batch = responseDeadlines.Skip(start).Take(BatchSize)
                .Select((due, i) => Escalation.Open(policy, string.Create(CultureInfo.InvariantCulture, $"Benchmark escalation {start + i}"), null, Reporter, due - policy.ResponseTarget))
                .ToList();
            await using var db = database.CreateContext();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.Escalations.AddRange(batch);
            await db.SaveChangesAsync();
            ids.AddRange(batch.Select(e => e.Id));
        }
        return ids;
    }

    /// <summary>The person (Entra object id) of digest reader <paramref name="index"/>; their 1:1 chat is <see cref="DigestChatOf"/>.</summary>
    public static PersonId DigestReader(int index) => new(string.Create(CultureInfo.InvariantCulture, $"bench-reader-{index:00000}"));

    /// <summary>Digest reader <paramref name="index"/>'s 1:1 chat with the bot.</summary>
    public static string DigestChatOf(int index) => BenchBed.ChatOf(DigestReader(index).Value);

    /// <summary>
    /// <paramref name="count"/> people who have talked to the bot (their 1:1 chat stored, as the bot stores it from an
    /// inbound activity, pointing at <paramref name="serviceUrl"/>), each subscribed to the digest daily at
    /// <paramref name="due"/>'s time of day in UTC, as <c>digest daily HH:MM</c> would; their next occurrence is
    /// <paramref name="due"/>. No timers: the bot's digest timer auditor arms them when it starts.
    /// </summary>
    public static async Task DigestRecipientsAsync(ITestDatabase database, int count, string serviceUrl, string botId, DateTimeOffset due, DateTimeOffset now)
    {
        var schedule = new DigestSchedule(DigestFrequency.Daily, null, new TimeOnly(due.UtcDateTime.Hour, due.UtcDateTime.Minute));
        for (var start = 0; start < count; start += BatchSize)
        {
            var readers = Enumerable.Range(start, Math.Min(BatchSize, count - start)).ToList();
            await using var db = database.CreateContext();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.ConversationReferences.AddRange(readers.Select(i => ConversationReference.Create(new ConversationSnapshot(
                DigestChatOf(i), ConversationTypes.Personal, serviceUrl, "msteams", BenchBed.TenantId, botId,
                "29:" + DigestReader(i).Value, DigestReader(i).Value, string.Create(CultureInfo.InvariantCulture, $"Digest reader {i}"),
                null, null, null, null), now.AddDays(-1))));
            db.DigestSubscriptions.AddRange(readers.Select(i => DigestSubscription.Create(
                DigestRecipientKind.Person, DigestReader(i).Value, DigestReader(i), schedule, "UTC", DigestZoneSource.Utc, due, now.AddDays(-1))));
            await db.SaveChangesAsync();
        }
    }

    /// <summary>Resolves named people to themselves, and the sample agreement flow's roles to the sample people.</summary>
    private sealed class PeopleResolver : IApproverResolver
    {
        public ValueTask<ApproverResolution> ResolveAsync(ApproverRule rule, PersonId requester, CancellationToken cancellationToken) =>
            ValueTask.FromResult(rule.Kind switch
            {
                ApproverRuleKind.RequesterManager => ApproverResolution.Found(People.Bob),
                ApproverRuleKind.Group when rule.GroupName == BuiltInFlows.LegalGroup => ApproverResolution.Found(People.Lena),
                ApproverRuleKind.Group => ApproverResolution.Found(People.Mia),
                _ => ApproverResolution.Found(rule.PersonIds),
            });
    }
}
