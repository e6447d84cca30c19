using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ApprovalBot.Domain.Common;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ApprovalBot.IntegrationTests.Api.ApiAuthenticationTests;

namespace ApprovalBot.IntegrationTests.Api;

/// <summary>Audit trails as JSON and CSV (quoting, formula guard, streaming in pages), on SQLite and on PostgreSQL.</summary>
public abstract class AuditExportTests(ITestDatabaseFactory databases) : IAsyncLifetime
{
    private const string Formula = "=HYPERLINK(\"https://evil.example\",\"a,b\")";
    private const string MultiLine = "-2+3 first line\r\nsecond line";

    private static readonly string[] Columns =
        ["requestId", "sequence", "at", "actor", "onBehalfOf", "action", "outcome", "refusal", "revision", "stage", "stageName", "delegateTo", "comment", "detail", "documentHashes"];

    private BotTestHost _bot = null!;
    private ITestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await databases.CreateDatabaseAsync();
        _bot = await BotTestHost.StartAsync(new BotTestHostOptions { Database = _database, Settings = ApiTestKeys.Settings() });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>Through the domain, as a card click would: refused attempts by a stranger, then Megan rejects with a formula as comment.</summary>
    private async Task DecideAsync(long requestId, int refusals = 1)
    {
        var now = _bot.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await using var db = _bot.CreateDbContext();
        var request = await db.ApprovalRequests.SingleAsync(r => r.Id == requestId);
        for (var i = 0; i < refusals; i++)
            Assert.False(request.Reject(new PersonId("stranger"), request.CurrentCard, MultiLine, now).Accepted);
        Assert.True(request.Reject(new PersonId(ApiCalls.Megan), request.CurrentCard, Formula, now).Accepted);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task RequestAudit_IsJsonByDefault_InSequence()
    {
        var id = await ApiCalls.CreateRequestAsync(_bot);
        await DecideAsync(id);

        using var response = await ApiCalls.GetAsync(_bot, $"/api/v1/approvals/{id}/audit");

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var entries = (await ApiCalls.JsonAsync(response)).AsArray();
        Assert.Equal(Enumerable.Range(1, entries.Count), entries.Select(e => e!["sequence"]!.GetValue<int>()));
        Assert.Equal(["Submitted", "StageStarted", "Reject", "Reject", "StageCompleted", "Completed"], entries.Select(e => e!["action"]!.GetValue<string>()));
        var refused = entries[2]!;
        Assert.Equal("Refused", refused["outcome"]!.GetValue<string>());
        Assert.Equal("NotAnApprover", refused["refusal"]!.GetValue<string>());
        var reject = entries[3]!;
        Assert.Equal(ApiCalls.Megan, reject["actor"]!.GetValue<string>());
        Assert.Equal(Formula, reject["comment"]!.GetValue<string>());
        Assert.Equal(1, reject["stage"]!.GetValue<int>());
        Assert.Equal("Department manager", reject["stageName"]!.GetValue<string>());
        Assert.All(entries, e => Assert.Equal(id, e!["requestId"]!.GetValue<long>()));
        Assert.All(entries, e => Assert.EndsWith("+00:00", e!["at"]!.GetValue<string>(), StringComparison.Ordinal));

        using var read = await ApiCalls.GetAsync(_bot, $"/api/v1/approvals/{id}");
        var request = await ApiCalls.JsonAsync(read);
        Assert.Equal("Rejected", request["status"]!.GetValue<string>());
        Assert.Equal(Formula, request["outcome"]!["comment"]!.GetValue<string>());
        Assert.Equal("Reject", request["stageRuns"]![0]!["seats"]![0]!["decision"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("?format=csv", null)]
    [InlineData("", "text/csv")]
    public async Task RequestAudit_IsRfc4180Csv_QuotedAndGuardedAgainstFormulas(string query, string? accept)
    {
        var id = await ApiCalls.CreateRequestAsync(_bot);
        await DecideAsync(id);

        using var response = await ApiCalls.GetAsync(_bot, $"/api/v1/approvals/{id}/audit{query}", accept: accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"approval-{id}-audit.csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var text = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        Assert.Equal(string.Join(',', Columns) + "\r\n", text[..(text.IndexOf('\n', StringComparison.Ordinal) + 1)]);
        Assert.Contains("\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"a,b\"\")\"", text, StringComparison.Ordinal);

        var rows = ParseCsv(text);
        Assert.Equal(Columns, rows[0]);
        Assert.All(rows, r => Assert.Equal(Columns.Length, r.Count));
        var records = rows.Skip(1).Select(r => Columns.Zip(r).ToDictionary(p => p.First, p => p.Second)).ToList();
        Assert.Equal(6, records.Count);
        var reject = records.Single(r => r["action"] == "Reject" && r["outcome"] == "Accepted");
        Assert.Equal("'" + Formula, reject["comment"]);
        Assert.Equal(ApiCalls.Megan, reject["actor"]);
        Assert.Equal("1", reject["stage"]);
        var refused = records.Single(r => r["outcome"] == "Refused");
        Assert.Equal("'" + MultiLine, refused["comment"]);
        Assert.Equal("NotAnApprover", refused["refusal"]);
        Assert.All(records, r => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", r["at"]));
        Assert.All(records, r => Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), r["requestId"]));
        Assert.DoesNotContain(records, r => r.Values.Any(v => v.Length > 0 && v[0] is '=' or '+' or '-' or '@' or '\t' or '\r'));
    }

    [Fact]
    public async Task PeriodAudit_StreamsEveryRequestInOrder_AcrossPages()
    {
        var first = await ApiCalls.CreateRequestAsync(_bot, "First");
        var second = await ApiCalls.CreateRequestAsync(_bot, "Second");
        await DecideAsync(first, refusals: 520); // more rows than one page of the export
        await DecideAsync(second);

        using var json = await ApiCalls.GetAsync(_bot, "/api/v1/audit?from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00Z");
        var entries = (await ApiCalls.JsonAsync(json)).AsArray();
        var keys = entries.Select(e => (e!["requestId"]!.GetValue<long>(), e["sequence"]!.GetValue<int>())).ToList();
        Assert.Equal(525 + 6, keys.Count);
        Assert.Equal(keys.OrderBy(k => k.Item1).ThenBy(k => k.Item2), keys);
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal([first, second], keys.Select(k => k.Item1).Distinct());

        using var csv = await ApiCalls.GetAsync(_bot, "/api/v1/audit?format=csv");
        var rows = ParseCsv(await csv.Content.ReadAsStringAsync());
        Assert.Equal(keys.Count + 1, rows.Count);
        Assert.StartsWith("audit-", csv.Content.Headers.ContentDisposition?.FileNameStar ?? csv.Content.Headers.ContentDisposition?.FileName, StringComparison.Ordinal);

        using var before = await ApiCalls.GetAsync(_bot, "/api/v1/audit?to=2000-01-01T00:00:00Z");
        Assert.Empty((await ApiCalls.JsonAsync(before)).AsArray());
    }

    [Theory]
    [InlineData("?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    [InlineData("?format=xml", "format")]
    public async Task PeriodAudit_Answers400ValidationProblem_WhenParametersAreInvalid(string query, string field)
    {
        using var response = await ApiCalls.GetAsync(_bot, "/api/v1/audit" + query);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task PeriodAudit_Answers400_WhenAnInstantDoesNotParse_And401WithoutAKey()
    {
        using var bad = await ApiCalls.GetAsync(_bot, "/api/v1/audit?from=yesterday");
        using var anonymous = await ApiCalls.GetAsync(_bot, "/api/v1/audit", key: null);

        await ProblemAsync(bad, HttpStatusCode.BadRequest);
        await ProblemAsync(anonymous, HttpStatusCode.Unauthorized);
    }

    /// <summary>An RFC 4180 reader: quoted fields may hold commas, CR, LF and doubled quotes; records end with CRLF.</summary>
    private static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (field.Length == 0 && text[i] == '"')
            {
                i++;
                while (true)
                {
                    Assert.True(i < text.Length, "unterminated quoted field");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    field.Append(text[i++]);
                }
                Assert.True(i >= text.Length || text[i] is ',' or '\r', $"text after a closing quote at {i}");
                continue;
            }

            var c = text[i];
            if (c == ',') { row.Add(field.ToString()); field.Clear(); i++; }
            else if (c == '\r')
            {
                Assert.True(i + 1 < text.Length && text[i + 1] == '\n', "a bare CR outside quotes");
                row.Add(field.ToString()); field.Clear(); rows.Add(row); row = []; i += 2;
            }
            else
            {
                Assert.NotEqual('\n', c);
                Assert.NotEqual('"', c);
                field.Append(c);
                i++;
            }
        }

        Assert.True(row.Count == 0 && field.Length == 0, "the last record does not end with CRLF");
        return rows;
    }
}

public sealed class SqliteAuditExportTests() : AuditExportTests(new SqliteTestDatabases());

public sealed class PostgresAuditExportTests(PostgresServerFixture postgres)
    : AuditExportTests(postgres), IClassFixture<PostgresServerFixture>;
