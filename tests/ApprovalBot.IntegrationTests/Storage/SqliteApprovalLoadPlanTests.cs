using System.Data.Common;
using System.Text.RegularExpressions;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Common;
using ApprovalBot.Storage;
using ApprovalBot.TestSupport.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ApprovalBot.IntegrationTests.Storage;

/// <summary>
/// A whole approval request (stage runs with seats, audit trail) must load on SQLite by index, not by reading every
/// stage run and seat of every request: the single statement EF writes for the nested collections did the latter, and a
/// card action's cost grew with the pending approvals (4 ms at 2,400, 30 at 7,400). The test asks SQLite for the plan
/// of every statement the load runs and refuses a full scan of either table.
/// </summary>
public sealed partial class SqliteApprovalLoadPlanTests
{
    private static readonly DateTimeOffset Monday10 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task WholeApprovalRequests_OnSqlite_ReadsStageRunsAndSeatsByIndexOnly()
    {
        await using var database = SqliteTestDatabase.Create();
        var flow = ApprovalFlow.Create("purchase",
        [
            new StageDefinition("Manager", ApproverRule.RequesterManager(), DecisionRule.Any, TimeSpan.FromHours(16)),
            new StageDefinition("Sign-off", ApproverRule.People(People.Mia, People.Max), DecisionRule.All, TimeSpan.FromHours(8)),
        ]);
        long id = 0;
        await using (var db = database.CreateContext())
        {
            await db.Database.MigrateAsync();
            for (var i = 0; i < 3; i++)
            {
                var request = await ApprovalRequest.SubmitAsync(
                    new NewApprovalRequest($"Laptops {i}", "For the help desk", People.Alice, ApprovalSubject.Other($"PO-{i}")),
                    flow, TestDirectory.Standard(), BusinessCalendar.TwentyFourSeven("Etc/UTC"), Monday10);
                db.Add(request);
                await db.SaveChangesAsync();
                id = request.Id;
            }
        }

        var recorder = new CommandRecorder();
        ApprovalRequest loaded;
        await using (var db = new BotDbContext(new DbContextOptionsBuilder<BotDbContext>().UseStorage(database.Connection).AddInterceptors(recorder).Options))
            loaded = await db.WholeApprovalRequests.AsNoTracking().SingleAsync(r => r.Id == id);

        // The load is whole: both stages' runs are there with their seats, and the audit trail.
        Assert.Equal(id, loaded.Id);
        Assert.NotEmpty(loaded.StageRuns);
        Assert.Contains(loaded.StageRuns, run => run.Seats.Count > 0);
        Assert.NotEmpty(loaded.AuditTrail);
        Assert.NotEmpty(recorder.Commands);

        await using var connection = new SqliteConnection(database.Connection.ConnectionString);
        await connection.OpenAsync();
        var scans = new List<string>();
        foreach (var (text, parameters) in recorder.Commands)
        {
            // Aliases EF gave the two tables in this statement; SQLite's plan names tables by alias.
            var aliases = TableAlias().Matches(text).Select(m => m.Groups["alias"].Value).ToHashSet(StringComparer.Ordinal);
            await using var explain = connection.CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + text;
            foreach (var (name, value) in parameters) explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var detail = reader.GetString(3);
                if (detail.StartsWith("SCAN ", StringComparison.Ordinal) && aliases.Contains(detail.Split(' ')[1]))
                    scans.Add($"{detail}  ←  {text}");
            }
        }
        Assert.Empty(scans);
    }

    [GeneratedRegex("\"approval_stage_(?:runs|seats)\" AS \"(?<alias>[A-Za-z0-9_]+)\"")]
    private static partial Regex TableAlias();

    private sealed class CommandRecorder : DbCommandInterceptor
    {
        public List<(string Text, List<(string Name, object? Value)> Parameters)> Commands { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Commands.Add((command.CommandText, [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value))]));
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
