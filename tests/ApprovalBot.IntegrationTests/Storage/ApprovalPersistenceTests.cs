using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Common;
using ApprovalBot.Storage;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.IntegrationTests.Storage;

/// <summary>
/// The approval domain through EF on a migrated database: agreements with revisions and complete terms, requests
/// decided through their domain methods, the audit trail, and the request's version as the concurrency token.
/// </summary>
public abstract class ApprovalPersistenceTests(ITestDatabaseFactory databases)
{
    /// <summary>Monday 5 January 2026, 10:00 UTC (whole seconds: both providers keep them exactly).</summary>
    private static readonly DateTimeOffset Monday10 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Agreement_WithTwoRevisionsAndCompleteTerms_RoundTripsEveryValue()
    {
        await using var database = await MigratedAsync();
        var directory = TestDirectory.Standard();
        long agreementId, requestId;
        Agreement written;
        await using (var db = database.CreateContext())
        {
            written = Agreement.CreateDraft("Contoso help desk", SampleTerms.Complete(), People.Alice, Monday10);
            db.Add(written);
            await db.SaveChangesAsync();
            agreementId = written.Id;

            var request = await AgreementApproval.SubmitAsync(written, BuiltInFlows.Agreement(), People.Alice, null, directory, TwentyFourSeven, Monday10.AddMinutes(1));
            request.RequestChanges(People.Bob, request.CurrentCard, "Add the weekend rota", Monday10.AddHours(1)).ThrowIfRefused();
            Assert.True(written.ApplyApprovalOutcome(request, Monday10.AddHours(1)));
            written.Revise(SampleTerms.Complete() with { ProviderName = "Contoso IT Services GmbH", Coverage = SupportCoverage.Software }, People.Alice, Monday10.AddHours(2));
            db.Add(request);
            await db.SaveChangesAsync();
            requestId = request.Id;
        }

        await using (var db = database.CreateContext())
        {
            // Rewrite revision 1's row after revision 2's: PostgreSQL then returns it last unless the load orders by number.
            await db.Database.ExecuteSqlRawAsync("UPDATE agreement_revisions SET created_by = created_by WHERE number = 1");
            var read = await db.Agreements.SingleAsync(a => a.Id == agreementId);
            Assert.Equal((AgreementStatus.ChangesRequested, 2, 4L), (read.Status, read.Revisions.Count, read.Version));
            Assert.Equal(2, read.CurrentRevision.Number);
            Assert.Equal([1, 2], read.Revisions.Select(r => r.Number));
            Assert.Equivalent(SampleTerms.Complete(), read.Revisions[0].Terms, strict: true);
            Assert.Equivalent(SampleTerms.Complete() with { ProviderName = "Contoso IT Services GmbH", Coverage = SupportCoverage.Software }, read.Terms, strict: true);
            Assert.Empty(read.Terms.Problems());
            Assert.Equivalent(written, read, strict: true);
            Assert.Equal(RevisionOutcome.ChangesRequested, read.Revisions[0].Outcome);
            Assert.Equal(new RequestOutcome(DecisionKind.RequestChanges, People.Bob, null, "Add the weekend rota", Monday10.AddHours(1), 1, 1), read.Revisions[0].Decision);
            Assert.Null(read.Revisions[1].SubmittedAt);

            var request = await db.ApprovalRequests.SingleAsync(r => r.Id == requestId);
            Assert.Equal((ApprovalSubjectKind.Agreement, agreementId, 1), (request.Subject.Kind, request.Subject.Id, request.Subject.Revision));

            // The stored agreement goes on living: resubmitted from the database, into the stored request.
            await AgreementApproval.ResubmitAsync(read, request, People.Alice, "Rota added", null, directory, TwentyFourSeven, Monday10.AddHours(3));
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            var read = await db.Agreements.SingleAsync(a => a.Id == agreementId);
            Assert.Equal((AgreementStatus.InApproval, 5L), (read.Status, read.Version));
            Assert.Equal(People.Alice, read.Revisions[1].SubmittedBy);
            var request = await db.ApprovalRequests.SingleAsync(r => r.Id == requestId);
            Assert.Equal((2, 2, ApprovalStatus.InProgress), (request.Revision, request.Subject.Revision, request.Status));
        }
    }

    [Fact]
    public async Task ApprovalRequest_DecidedThroughTheDomainAndSavedEachTime_ReloadsTheSameStateAndAuditTrail()
    {
        await using var database = await MigratedAsync();
        var directory = TestDirectory.Standard();
        var flow = ApprovalFlow.Create("purchase",
        [
            new StageDefinition("Manager", ApproverRule.RequesterManager(), DecisionRule.Any, TimeSpan.FromHours(16), TimeSpan.FromHours(4), description: "Budget check"),
            new StageDefinition("Legal", ApproverRule.Group("Legal"), DecisionRule.NOfM(2), TimeSpan.FromHours(24), escalateTo: EscalationTarget.Group("Legal leads")),
            new StageDefinition("Sign-off", ApproverRule.People(People.Mia, People.Max), DecisionRule.All, TimeSpan.FromHours(8), escalateTo: EscalationTarget.People(People.Carol)),
        ]);
        var request = await ApprovalRequest.SubmitAsync(
            new NewApprovalRequest("New laptops", "Ten laptops for the help desk", People.Alice, ApprovalSubject.Other("PO-17"),
                [new RequestLink("Quote", "https://example.com/quote.pdf"), new RequestLink("Spec", "https://example.com/spec")]),
            flow, directory, Utc, Monday10);
        await using (var db = database.CreateContext())
        {
            db.Add(request);
            await db.SaveChangesAsync();
        }

        // Each step: load, act through the domain, save; the in-memory twin does the same.
        async Task Step(Func<ApprovalRequest, Task> act)
        {
            await act(request);
            await using var db = database.CreateContext();
            var stored = await db.ApprovalRequests.SingleAsync(r => r.Id == request.Id);
            await act(stored);
            await db.SaveChangesAsync();
        }

        var token = request.Version;
        await Step(r => Task.FromResult(r.MarkReminded(token, 1, Monday10.AddHours(4).AddMinutes(1))));
        await Step(r => r.ApproveAsync(People.Bob, r.CurrentCard, "Fine by me", directory, Utc, Monday10.AddHours(5)));
        await Step(r => Task.FromResult(r.Reject(People.Zed, r.CurrentCard, "Not mine to decide", Monday10.AddHours(6))));                                  // refused: not an approver
        await Step(r => Task.FromResult(r.Delegate(People.Lena, r.CurrentCard, People.Dan, "Dan knows this vendor", Monday10.AddHours(6))));
        await Step(r => Task.FromResult(r.Reject(People.Dan, r.CurrentCard, "Warranty too short", Monday10.AddHours(7))));  // dissent under 2 of 3
        await Step(r => Task.FromResult(r.RequestChanges(People.Leo, r.CurrentCard, "Add a 3-year warranty", Monday10.AddHours(8))));
        await Step(async r => await r.ResubmitAsync(People.Alice, new Resubmission("3-year warranty added", links: [new RequestLink("Quote v2", "https://example.com/quote-2.pdf")]), directory, Utc, Monday10.AddHours(9)));
        await Step(r => r.ApproveAsync(People.Leo, r.CurrentCard, null, directory, Utc, Monday10.AddHours(10)));
        await Step(r => r.ApproveAsync(People.Lou, r.CurrentCard, null, directory, Utc, Monday10.AddHours(11)));
        await Step(r => r.ApproveAsync(People.Mia, r.CurrentCard, null, directory, Utc, Monday10.AddHours(12)));
        var escalationToken = request.Version;
        await Step(r => Task.FromResult(r.MarkEscalated(escalationToken, [People.Carol], Monday10.AddHours(21))));
        await Step(r => r.ApproveAsync(People.Max, r.CurrentCard, "Signed", directory, Utc, Monday10.AddHours(22)));

        await using (var db = database.CreateContext())
        {
            var read = await db.ApprovalRequests.SingleAsync(r => r.Id == request.Id);
            Assert.Equal((ApprovalStatus.Approved, 2, 3, request.Version), (read.Status, read.Revision, read.CurrentStageNumber, read.Version));
            Assert.Equal(["Manager", "Legal", "Legal", "Sign-off"], read.StageRuns.Select(s => s.StageName));
            Assert.Equal([(People.Lena, (PersonId?)People.Dan, (DecisionKind?)DecisionKind.Reject), (People.Leo, null, DecisionKind.RequestChanges), (People.Lou, null, null)],
                read.StageRuns[1].Seats.Select(s => (s.Owner, s.Delegate, s.Decision)));
            Assert.Equal(["Quote v2"], read.Links.Select(l => l.Title));
            Assert.Equal(flow.Stages, read.Stages);
            Assert.Contains(read.AuditTrail, e => e is { Outcome: AuditOutcome.Refused, Refusal: RefusalReason.NotAnApprover } && e.Actor == People.Zed);
            Assert.Contains(read.AuditTrail, e => e.Who == "dan for lena" && e.Action == AuditAction.Reject);
            Assert.Equal(Enumerable.Range(1, read.AuditTrail.Count), read.AuditTrail.Select(e => e.Sequence));
            Assert.Equivalent(State(request), State(read), strict: true);
            Assert.Equal(request.StageRuns.SelectMany(r => r.Seats).Select(s => s.Owner), read.StageRuns.SelectMany(r => r.Seats).Select(s => s.Owner));
            Assert.Equal(request.AuditTrail.Select(e => (e.Sequence, e.Action)), read.AuditTrail.Select(e => (e.Sequence, e.Action)));
            Assert.Equivalent(request.AuditTrail, read.AuditTrail, strict: true);

            var audit = await db.ApprovalRequests.Where(r => r.Id == request.Id).SelectMany(r => r.AuditTrail)
                .Where(e => e.Action == AuditAction.Approve).OrderBy(e => e.Sequence).Select(e => e.Actor).ToListAsync();
            Assert.Equal([People.Bob, People.Leo, People.Lou, People.Mia, People.Max], audit.Select(a => a!.Value));
        }
    }

    [Fact]
    public async Task ApprovalRequest_TwoApproversDecideAtOnceUnderAnyOne_TheSecondSaveThrowsAndOneDecisionStands()
    {
        await using var database = await MigratedAsync();
        var directory = TestDirectory.Standard();
        var flow = ApprovalFlow.Create("legal only", [new StageDefinition("Legal", ApproverRule.Group("Legal"), DecisionRule.Any, TimeSpan.FromHours(8))]);
        long id;
        await using (var db = database.CreateContext())
        {
            var request = await ApprovalRequest.SubmitAsync(
                new NewApprovalRequest("Contract review", null, People.Alice, ApprovalSubject.Other()), flow, directory, TwentyFourSeven, Monday10);
            db.Add(request);
            await db.SaveChangesAsync();
            id = request.Id;
        }

        await using var first = database.CreateContext();
        await using var second = database.CreateContext();
        var lenas = await first.ApprovalRequests.SingleAsync(r => r.Id == id);
        var leos = await second.ApprovalRequests.SingleAsync(r => r.Id == id);
        Assert.True((await lenas.ApproveAsync(People.Lena, lenas.CurrentCard, null, directory, TwentyFourSeven, Monday10.AddMinutes(5))).Accepted);
        Assert.True((await leos.ApproveAsync(People.Leo, leos.CurrentCard, null, directory, TwentyFourSeven, Monday10.AddMinutes(5))).Accepted);

        await first.SaveChangesAsync();
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());

        // The loser reloads and retries: the request is already decided, so Leo gets a refusal, and it is audited.
        await using (var retry = database.CreateContext())
        {
            var reloaded = await retry.ApprovalRequests.SingleAsync(r => r.Id == id);
            var result = await reloaded.ApproveAsync(People.Leo, new CardState(1, 1), null, directory, TwentyFourSeven, Monday10.AddMinutes(6));
            Assert.Equal(RefusalReason.RequestClosed, result.Refusal?.Reason);
            await retry.SaveChangesAsync();
        }

        await using var check = database.CreateContext();
        var stored = await check.ApprovalRequests.SingleAsync(r => r.Id == id);
        Assert.Equal((ApprovalStatus.Approved, People.Lena), (stored.Status, stored.Outcome!.DecidedBy));
        Assert.Single(stored.AuditTrail, e => e is { Action: AuditAction.Approve, Outcome: AuditOutcome.Accepted });
        Assert.Equal([People.Lena], stored.StageRuns.Single().Seats.Where(s => s.Decision is not null).Select(s => s.Owner));
        Assert.Equal(AuditOutcome.Refused, stored.AuditTrail[^1].Outcome);
    }

    [Fact]
    public async Task ApprovalRequest_TwoRefusedClicksSavedFromTheSameLoad_TheSecondThrowsDbUpdateConcurrencyException()
    {
        await using var database = await MigratedAsync();
        var directory = TestDirectory.Standard();
        long id;
        await using (var db = database.CreateContext())
        {
            var request = await ApprovalRequest.SubmitAsync(
                new NewApprovalRequest("Contract review", null, People.Alice, ApprovalSubject.Other()),
                ApprovalFlow.Create("legal only", [new StageDefinition("Legal", ApproverRule.Group("Legal"), DecisionRule.Any, TimeSpan.FromHours(8))]),
                directory, TwentyFourSeven, Monday10);
            db.Add(request);
            await db.SaveChangesAsync();
            id = request.Id;
        }

        await using var first = database.CreateContext();
        await using var second = database.CreateContext();
        var one = await first.ApprovalRequests.SingleAsync(r => r.Id == id);
        var two = await second.ApprovalRequests.SingleAsync(r => r.Id == id);
        Assert.False(one.Reject(People.Zed, one.CurrentCard, "No", Monday10.AddMinutes(1)).Accepted);   // refusals move no version
        Assert.False(two.Reject(People.Dan, two.CurrentCard, "No", Monday10.AddMinutes(1)).Accepted);

        await first.SaveChangesAsync();
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
    }

    [Fact]
    public async Task ApprovalRequest_QueriesByStatusRequesterAndWaitingApprover_RunInTheDatabase()
    {
        await using var database = await MigratedAsync();
        var directory = TestDirectory.Standard();
        await using (var db = database.CreateContext())
        {
            var flow = ApprovalFlow.Create("legal only", [new StageDefinition("Legal", ApproverRule.Group("Legal"), DecisionRule.All, TimeSpan.FromHours(8))]);
            var waiting = await ApprovalRequest.SubmitAsync(new NewApprovalRequest("Waiting", null, People.Alice, ApprovalSubject.Other()), flow, directory, TwentyFourSeven, Monday10);
            waiting.Delegate(People.Lou, waiting.CurrentCard, People.Dan, null, Monday10.AddMinutes(1)).ThrowIfRefused();
            (await waiting.ApproveAsync(People.Lena, waiting.CurrentCard, null, directory, TwentyFourSeven, Monday10.AddMinutes(2))).ThrowIfRefused();
            var done = await ApprovalRequest.SubmitAsync(new NewApprovalRequest("Done", null, People.Bob, ApprovalSubject.Other()), flow, directory, TwentyFourSeven, Monday10);
            done.Reject(People.Leo, done.CurrentCard, "No", Monday10.AddMinutes(3)).ThrowIfRefused();
            db.AddRange(waiting, done);
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            Assert.Equal(["Waiting"], await db.ApprovalRequests.Where(r => r.Status == ApprovalStatus.InProgress).Select(r => r.Title).ToListAsync());
            Assert.Equal(["Done"], await db.ApprovalRequests.Where(r => r.Requester == People.Bob).Select(r => r.Title).ToListAsync());
            Assert.Equal(["Waiting"], await db.ApprovalRequests.Where(r => r.Subject.Kind == ApprovalSubjectKind.Other && r.Status != ApprovalStatus.Rejected).Select(r => r.Title).ToListAsync());

            // "Waiting for X": an undecided seat X holds (as owner, or as delegate) in a run in progress.
            Task<List<string>> WaitingFor(PersonId person) => db.ApprovalRequests
                .Where(r => r.Status == ApprovalStatus.InProgress && r.StageRuns.Any(run => run.Status == StageRunStatus.InProgress
                    && run.Seats.Any(s => s.Decision == null && (s.Delegate == person || (s.Delegate == null && s.Owner == person)))))
                .Select(r => r.Title).ToListAsync();
            Assert.Equal(["Waiting"], await WaitingFor(People.Leo));
            Assert.Equal(["Waiting"], await WaitingFor(People.Dan));
            Assert.Empty(await WaitingFor(People.Lou));  // delegated away
            Assert.Empty(await WaitingFor(People.Lena)); // decided
        }
    }

    [Fact]
    public void AgreementTerms_CompleteAndPartial_RoundTripThroughTheJsonColumnFormat()
    {
        foreach (var terms in new[] { SampleTerms.Complete(), new AgreementTerms(), new AgreementTerms { ProviderName = "Draft Co", Pricing = new Pricing(PricingStructure.Hourly, 95.50m, "usd") } })
        {
            var json = StorageJson.Serialize(terms);
            Assert.Equivalent(terms, StorageJson.Deserialize<AgreementTerms>(json), strict: true);
            Assert.Equal(json, StorageJson.Serialize(StorageJson.Deserialize<AgreementTerms>(json)));
        }

        var complete = StorageJson.Serialize(SampleTerms.Complete());
        Assert.Contains("\"coverage\":\"Both\"", complete, StringComparison.Ordinal);
        Assert.Contains("\"oversightOwners\":[\"alice\",\"carol\"]", complete, StringComparison.Ordinal);
    }

    /// <summary>Everything a request holds but the database ids (the in-memory twin never had its later rows saved).</summary>
    private static object State(ApprovalRequest r) => new
    {
        r.Title, r.Details, r.Links, r.Requester, r.Subject, r.FlowName, r.Stages, r.Status, r.Revision, r.CurrentStageNumber,
        r.SubmittedAt, r.CompletedAt, r.BlockedReason, r.Outcome, r.Version, r.NextTimerAt,
        Runs = r.StageRuns.Select(run => new
        {
            run.Revision, run.StageNumber, run.StageName, run.Rule, run.Status, run.StartedAt, run.DueAt, run.CompletedAt,
            run.ReminderTimes, run.RemindersSent, run.EscalatedAt,
            Seats = run.Seats.Select(s => new { s.Owner, s.Delegate, s.Decision, s.DecidedBy, s.DecidedAt, s.Comment }).ToList(),
        }).ToList(),
    };

    private async Task<ITestDatabase> MigratedAsync()
    {
        var database = await databases.CreateDatabaseAsync();
        await using var db = database.CreateContext();
        await db.Database.MigrateAsync();
        return database;
    }

    /// <summary>Business time is all time; instants computed on it carry +01:00 in winter (PostgreSQL stores them as UTC).</summary>
    private static readonly IBusinessCalendar TwentyFourSeven = BusinessCalendar.TwentyFourSeven("Europe/Berlin");

    /// <summary>
    /// All time, in UTC: for comparing a reloaded request with its in-memory twin, whose audit texts format due times with
    /// their offset (a reloaded instant is UTC on both providers).
    /// </summary>
    private static readonly IBusinessCalendar Utc = BusinessCalendar.TwentyFourSeven("Etc/UTC");
}

/// <summary>A directory in memory: managers and groups.</summary>
internal sealed class TestDirectory : IApproverResolver
{
    private readonly Dictionary<PersonId, PersonId> _managers = new() { [People.Alice] = People.Bob, [People.Bob] = People.Carol };
    private readonly Dictionary<string, PersonId[]> _groups = new(StringComparer.OrdinalIgnoreCase)
    {
        [BuiltInFlows.LegalGroup] = [People.Lena, People.Leo, People.Lou],
        [BuiltInFlows.ManagementGroup] = [People.Mia, People.Max],
    };

    public static TestDirectory Standard() => new();

    public ValueTask<ApproverResolution> ResolveAsync(ApproverRule rule, PersonId requester, CancellationToken cancellationToken) =>
        ValueTask.FromResult(rule.Kind switch
        {
            ApproverRuleKind.RequesterManager => _managers.TryGetValue(requester, out var manager)
                ? ApproverResolution.Found(manager)
                : ApproverResolution.CannotResolve($"{requester} has no manager"),
            ApproverRuleKind.Group => _groups.TryGetValue(rule.GroupName!, out var members)
                ? ApproverResolution.Found(members)
                : ApproverResolution.CannotResolve($"no group {rule.GroupName}"),
            _ => ApproverResolution.Found(rule.PersonIds),
        });
}

public sealed class SqliteApprovalPersistenceTests() : ApprovalPersistenceTests(new SqliteTestDatabases());

public sealed class PostgresApprovalPersistenceTests(PostgresServerFixture postgres)
    : ApprovalPersistenceTests(postgres), IClassFixture<PostgresServerFixture>;
