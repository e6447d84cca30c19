using ApprovalBot.Storage;
using ApprovalBot.Storage.Migrations;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Outbox;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApprovalBot.IntegrationTests.Storage;

/// <summary>
/// The hand-written migrations against the model: there is no model snapshot, so these tests are what keeps a
/// migration honest (see Storage/README.md).
/// </summary>
public abstract class MigrationTests(ITestDatabaseFactory databases)
{
    private static readonly DateTimeOffset Created = new(2026, 1, 5, 9, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public async Task Migrate_ProducesExactlyTheSchemaEnsureCreatedBuildsFromTheModel()
    {
        await using var migrated = await databases.CreateDatabaseAsync();
        await using var created = await databases.CreateDatabaseAsync();
        await using (var db = migrated.CreateContext())
            await db.Database.MigrateAsync();
        await using (var db = created.CreateContext())
            Assert.True(await db.Database.EnsureCreatedAsync());

        var migratedSchema = await ReadSchemaAsync(migrated);
        var createdSchema = await ReadSchemaAsync(created);

        var diff = DatabaseSchema.Diff("migrated", migratedSchema, "EnsureCreated", createdSchema);
        Assert.True(diff.Length == 0, diff);
        foreach (var table in new[] { "conversation_references", "processed_activities", "outbox_messages", "card_copies",
                     "agreements", "agreement_revisions", "approval_requests", "approval_stage_runs", "approval_stage_seats", "approval_audit",
                     "escalations", "escalation_timeline", "escalation_survey_answers", "uptime_reports", "update_obligations" })
            Assert.Contains(migratedSchema, line => line.StartsWith($"table {table} ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Migrate_RecordsEveryMigrationInOrder()
    {
        await using var database = await databases.CreateDatabaseAsync();
        await using var db = database.CreateContext();
        await db.Database.MigrateAsync();

        var known = db.Database.GetMigrations().ToList();
        Assert.Equal([Initial.Id, AddOutbox.Id, ApprovalBot.Storage.Migrations.Approvals.Id, CardViews.Id, ApprovalBot.Storage.Migrations.Escalations.Id, EscalationSurveys.Id, UptimeReports.Id, ApprovalBot.Storage.Migrations.CommunicationPlans.Id], known.Take(8));
        Assert.Equal(known, await db.Database.GetAppliedMigrationsAsync());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Migrate_FromInitialToLatest_KeepsExistingRows()
    {
        await using var database = await databases.CreateDatabaseAsync();
        await using (var db = database.CreateContext())
        {
            await db.Database.MigrateAsync(Initial.Id);
            Assert.Equal([Initial.Id], await db.Database.GetAppliedMigrationsAsync());
            Assert.DoesNotContain(await ReadSchemaAsync(database), line => line.Contains("outbox_messages", StringComparison.Ordinal));

            // Raw SQL, as rows written by the version that only had 0001 would be.
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO conversation_references (conversation_id, conversation_type, service_url, channel_id, tenant_id, " +
                "bot_id, user_id, user_aad_object_id, user_name, team_id, team_name, teams_channel_id, teams_channel_name, " +
                "is_reachable, unreachable_reason, created_at, updated_at) " +
                "VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, NULL, NULL, NULL, NULL, {9}, NULL, {10}, {11})",
                "a:1:1", "personal", "https://smba.example/emea/", "msteams", "tenant-1", "28:bot", "29:user",
                "aad-1", "Ada", true, Instant(database, Created), Instant(database, Created.AddMinutes(5)));
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO processed_activities (conversation_id, activity_id, activity_type, received_at) VALUES ({0}, {1}, {2}, {3})",
                "a:1:1", "activity-1", "message", Instant(database, Created));
        }

        await using (var db = database.CreateContext())
        {
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }

        await using (var db = database.CreateContext())
        {
            var reference = await db.ConversationReferences.SingleAsync();
            Assert.Equal(
                ("a:1:1", "personal", "https://smba.example/emea/", "msteams", "tenant-1", "28:bot", "29:user", "aad-1", "Ada"),
                (reference.ConversationId, reference.ConversationType, reference.ServiceUrl, reference.ChannelId, reference.TenantId,
                    reference.BotId, reference.UserId, reference.UserAadObjectId, reference.UserName));
            Assert.Null(reference.TeamId);
            Assert.True(reference.IsReachable);
            Assert.Equal(Created, reference.CreatedAt);
            Assert.Equal(Created.AddMinutes(5), reference.UpdatedAt);

            var processed = await db.ProcessedActivities.SingleAsync();
            Assert.Equal(("a:1:1", "activity-1", "message", Created),
                (processed.ConversationId, processed.ActivityId, processed.ActivityType, processed.ReceivedAt));

            // Keys keep counting after the upgrade, and the new tables take rows.
            var next = ProcessedActivity.Create("a:1:1", "activity-2", "message", Created);
            db.Add(next);
            db.Add(OutboxMessage.Create("k-1", OutboxOperation.Send, "https://smba.example/emea/", "a:1:1",
                null, "{}", null, Created));
            await db.SaveChangesAsync();
            Assert.True(next.Id > processed.Id);
        }
    }

    [Fact]
    public async Task Migrate_FromAddOutboxToApprovals_KeepsOutboxRowsAndTakesApprovals()
    {
        await using var database = await databases.CreateDatabaseAsync();
        await using (var db = database.CreateContext())
        {
            await db.Database.MigrateAsync(AddOutbox.Id);
            Assert.DoesNotContain(await ReadSchemaAsync(database), line => line.Contains("approval_requests", StringComparison.Ordinal));

            // Raw SQL, as the version that only had 0001 and 0002 wrote an outbox row.
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO outbox_messages (dedupe_key, operation, service_url, conversation_id, target_activity_id, recipient_user_id, " +
                "tenant_id, activity_json, card_subject, status, attempts, next_attempt_at, last_result, last_error, sent_activity_id, " +
                "created_at, completed_at, claimed_by, claimed_until, version) " +
                "VALUES ({0}, 0, {1}, {2}, NULL, NULL, NULL, {3}, {4}, 0, 2, {5}, {6}, NULL, NULL, {7}, NULL, NULL, NULL, 3)",
                "approval-7/card", "https://smba.example/emea/", "a:1:1", """{"type":"message"}""", "approval-7",
                Instant(database, Created.AddMinutes(1)), "Throttled", Instant(database, Created));
        }

        await using (var db = database.CreateContext())
        {
            await db.Database.MigrateAsync();
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        }

        await using (var db = database.CreateContext())
        {
            var message = await db.OutboxMessages.SingleAsync();
            Assert.Equal(("approval-7/card", OutboxOperation.Send, OutboxStatus.Pending, 2, "Throttled", 3, "approval-7"),
                (message.DedupeKey, message.Operation, message.Status, message.Attempts, message.LastResult, message.Version, message.CardSubject));
            Assert.Equal(Created.AddMinutes(1), message.NextAttemptAt);
            Assert.Equal("""{"type":"message"}""", message.ActivityJson);

            var agreement = Domain.Agreements.Agreement.CreateDraft("Contoso", new Domain.Agreements.AgreementTerms { ProviderName = "Contoso" },
                new Domain.Common.PersonId("alice"), Created);
            db.Add(agreement);
            await db.SaveChangesAsync();
            Assert.True(agreement.Id > 0);
        }
    }

    [Fact]
    public async Task Migrate_FromEscalationsToSurveys_KeepsEscalationRowsAndTakesSurveyAnswers()
    {
        await using var database = await databases.CreateDatabaseAsync();
        await using (var db = database.CreateContext())
            await db.Database.MigrateAsync(ApprovalBot.Storage.Migrations.Escalations.Id);

        // The agreements table is unchanged since 0003, so the current model may write it; the escalation is written
        // as the version with 0005 only did, by raw SQL (the current model has a column 0005 lacks).
        var agreement = await ActiveAgreementAsBefore0012Async(database);
        var agreementId = agreement.Id;
        await using (var db = database.CreateContext())
        {
            var policy = StorageJson.Serialize(Domain.Escalations.EscalationPolicy.From(agreement, Domain.Agreements.Priority.P2));
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO escalations (agreement_id, title, description, priority, reporter, assignee, level, state, policy, opened_at, " +
                "acknowledged_at, acknowledged_by, resolved_at, resolved_by, resolution_note, closed_at, hold_periods, resolved_periods, " +
                "state_before_hold, level_started_at, warnings_sent, response_breached_at, resolution_breached_at, reopen_count, version) " +
                "VALUES ({0}, 'Mail down', '', 'P2', 'bob', NULL, 'L1', 'Resolved', {1}, {2}, NULL, NULL, {3}, 'adele', 'Relay restarted', NULL, " +
                "'[]', '[]', NULL, {2}, 0, NULL, NULL, 0, 2)",
                agreementId, policy, Instant(database, Created), Instant(database, Created.AddHours(1)));
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO escalation_timeline (escalation_id, sequence, at, actor, kind, level, reason, detail, percent) " +
                "SELECT id, 1, {0}, 'bob', 'Opened', 'L1', NULL, 'Opened.', NULL FROM escalations",
                Instant(database, Created));
        }

        await using (var db = database.CreateContext())
        {
            await db.Database.MigrateAsync();
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        }

        await using (var db = database.CreateContext())
        {
            var escalation = await db.Escalations.SingleAsync();
            Assert.Equal(("Mail down", Domain.Escalations.EscalationState.Resolved, 2L, "Relay restarted"),
                (escalation.Title, escalation.State, escalation.Version, escalation.ResolutionNote));
            Assert.Single(escalation.Timeline);
            Assert.Null(escalation.SurveyAskedAt);
            Assert.Empty(escalation.SurveyAnswers);

            escalation.AskSurvey(Created.AddHours(1));
            escalation.AnswerSurvey(new Domain.Common.PersonId("bob"), 1, 4, "Fine", Created.AddHours(2));
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            var escalation = await db.Escalations.SingleAsync();
            Assert.Equal(Created.AddHours(1), escalation.SurveyAskedAt);
            var answer = Assert.Single(escalation.SurveyAnswers);
            Assert.Equal((1, 4, "Fine", "bob", Created.AddHours(2)), (answer.Resolution, answer.Score, answer.Comment, answer.By.Value, answer.At));
            Assert.Equal(4L, escalation.Version);
        }
    }

    [Fact]
    public async Task Migrate_FromSurveysToUptimeReports_KeepsAgreementsAndTakesUptimeReports()
    {
        await using var database = await databases.CreateDatabaseAsync();
        await using (var db = database.CreateContext())
            await db.Database.MigrateAsync(EscalationSurveys.Id);

        var agreementId = (await ActiveAgreementAsBefore0012Async(database)).Id;

        await using (var db = database.CreateContext())
        {
            await db.Database.MigrateAsync();
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        }

        await using (var db = database.CreateContext())
        {
            Assert.Equal(Domain.Agreements.AgreementStatus.Active, (await db.Agreements.SingleAsync(a => a.Id == agreementId)).Status);
            db.UptimeReports.Add(Domain.Uptime.UptimeReport.Create(agreementId, Created, Created.AddDays(30), 99.95, "Mail", "Patch night", "monitoring", Created.AddDays(31)));
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            var report = await db.UptimeReports.SingleAsync(r => r.To > Created.AddDays(29));
            Assert.Equal((agreementId, "Mail", Created, Created.AddDays(30), 99.95, "Patch night", "monitoring", Created.AddDays(31)),
                (report.AgreementId, report.Service, report.From, report.To, report.Percent, report.Note, report.ReportedBy, report.ReportedAt));
        }
    }

    [Fact]
    public async Task Migrate_FromUptimeReportsToCommunicationPlans_KeepsAgreementsAndTakesUpdateObligations()
    {
        await using var database = await databases.CreateDatabaseAsync();
        await using (var db = database.CreateContext())
            await db.Database.MigrateAsync(UptimeReports.Id);

        var agreementId = (await ActiveAgreementAsBefore0012Async(database)).Id;

        await using (var db = database.CreateContext())
        {
            await db.Database.MigrateAsync();
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        }

        var due = Created.AddDays(7);
        await using (var db = database.CreateContext())
        {
            var obligation = Domain.CommunicationPlans.UpdateObligation.Open(agreementId, Created, due, due.AddDays(7), TimeSpan.FromDays(1), TimeSpan.FromDays(1), Created);
            obligation.Post("pat", "All green.", due.AddMinutes(-5));
            db.UpdateObligations.Add(obligation);
            await db.SaveChangesAsync();
            db.UpdateObligations.Add(Domain.CommunicationPlans.UpdateObligation.Open(agreementId, Created, due, due.AddDays(7), TimeSpan.FromDays(1), TimeSpan.FromDays(1), Created));
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync()); // one obligation per agreement and due time: a lost race, retried
        }

        await using (var db = database.CreateContext())
        {
            var stored = await db.UpdateObligations.SingleAsync(o => o.AgreementId == agreementId);
            Assert.Equal((due, Domain.CommunicationPlans.UpdateState.OnTime, "All green.", (DateTimeOffset?)due.AddMinutes(-5), 2L),
                (stored.DueAt, stored.State, stored.Text, stored.PostedAt, stored.Version));
        }
    }

    [Fact]
    public async Task StorageMigrator_InThreeInstancesStartingAtOnce_AppliesEachMigrationOnce()
    {
        await using var database = await databases.CreateDatabaseAsync();

        // Three "instances": each its own context pool and connections, started together.
        using var go = new SemaphoreSlim(0, 3);
        var runs = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var migrator = Migrator(database);
            await go.WaitAsync();
            await migrator.MigrateAsync();
        })).ToList();
        go.Release(3);
        await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(60));

        await using var check = database.CreateContext();
        Assert.Equal(check.Database.GetMigrations(), await check.Database.GetAppliedMigrationsAsync());
        await using var created = await databases.CreateDatabaseAsync();
        await using (var db = created.CreateContext())
            await db.Database.EnsureCreatedAsync();
        var diff = DatabaseSchema.Diff("migrated", await ReadSchemaAsync(database), "EnsureCreated", await ReadSchemaAsync(created));
        Assert.True(diff.Length == 0, diff);
    }

    internal static StorageMigrator Migrator(ITestDatabase database) =>
        new(new PooledDbContextFactory<BotDbContext>(new DbContextOptionsBuilder<BotDbContext>().UseStorage(database.Connection).Options),
            database.Connection, NullLogger<StorageMigrator>.Instance);

    private static async Task<IReadOnlyList<string>> ReadSchemaAsync(ITestDatabase database)
    {
        await using var db = database.CreateContext();
        return await DatabaseSchema.ReadAsync(db);
    }

    /// <summary>
    /// Stores the Active agreement of <see cref="Escalations.EscalationAgreements.ActiveAsync"/> as the schema of 0003–0011
    /// holds it, by raw SQL (the current model has the term columns 0012 adds), with the id it has in memory.
    /// </summary>
    private static async Task<Domain.Agreements.Agreement> ActiveAgreementAsBefore0012Async(ITestDatabase database)
    {
        var agreement = await Escalations.EscalationAgreements.BuildActiveAsync(Created, [Approvals.Cast.Alex]);
        await using var db = database.CreateContext();
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO agreements (id, name, created_by, created_at, status, active_revision_number, activated_at, version) VALUES ({0}, {1}, {2}, {3}, 'Active', {4}, {5}, {6})",
            agreement.Id, agreement.Name, agreement.CreatedBy.Value, Instant(database, agreement.CreatedAt), agreement.ActiveRevisionNumber!.Value,
            Instant(database, agreement.ActivatedAt!.Value), agreement.Version);
        foreach (var r in agreement.Revisions)
        {
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO agreement_revisions (agreement_id, number, terms, created_by, created_at, updated_at, submitted_at, submitted_by, outcome, outcome_at, decision) " +
                "VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10})",
                agreement.Id, r.Number, StorageJson.Serialize(r.Terms), r.CreatedBy.Value, Instant(database, r.CreatedAt), Instant(database, r.UpdatedAt),
                Instant(database, r.SubmittedAt!.Value), r.SubmittedBy!.Value.Value, r.Outcome!.Value.ToString(), Instant(database, r.OutcomeAt!.Value), StorageJson.Serialize(r.Decision));
        }
        return agreement;
    }

    /// <summary>An instant as its column stores it: SQLite Unix milliseconds, PostgreSQL timestamptz.</summary>
    private static object Instant(ITestDatabase database, DateTimeOffset value) =>
        database.Connection.Provider == StorageProvider.Sqlite ? value.ToUnixTimeMilliseconds() : value;
}

public sealed class SqliteMigrationTests() : MigrationTests(new SqliteTestDatabases())
{
    [Fact]
    public async Task StorageMigrator_Sqlite_RemovesTheLockRowOfAMigratorThatDied()
    {
        await using var database = SqliteTestDatabase.Create();
        await using (var db = database.CreateContext())
        {
            await db.Database.MigrateAsync(Initial.Id);
            // What EF leaves behind when the process is killed while it holds the migration lock.
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TABLE IF NOT EXISTS \"__EFMigrationsLock\" (\"Id\" INTEGER NOT NULL CONSTRAINT \"PK___EFMigrationsLock\" PRIMARY KEY, \"Timestamp\" TEXT NOT NULL)");
            await db.Database.ExecuteSqlRawAsync("INSERT INTO \"__EFMigrationsLock\" VALUES (1, '2026-01-05 09:00:00+00:00')");
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Migrator(database).MigrateAsync(timeout.Token).WaitAsync(TimeSpan.FromSeconds(30));

        await using var check = database.CreateContext();
        Assert.Empty(await check.Database.GetPendingMigrationsAsync());
    }
}

public sealed class PostgresMigrationTests(PostgresServerFixture postgres)
    : MigrationTests(postgres), IClassFixture<PostgresServerFixture>;
