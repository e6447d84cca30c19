using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.TestSupport.Storage;
using Xunit.Abstractions;

namespace ApprovalBot.IntegrationTests.Protocol;

/// <summary>
/// Random, truncated and mutated activities with valid tokens: always a 4xx or a normal answer, never a 5xx, and
/// the bot keeps serving. Seeded, so a failure reproduces; run on SQLite and on PostgreSQL (which enforces column
/// lengths SQLite ignores).
/// </summary>
public abstract class MalformedInputTests(ITestDatabaseFactory databases, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 20261122;
    private const int Cases = 1200;
    private BotTestHost _bot = null!;
    private ITestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await databases.CreateDatabaseAsync();
        _bot = await BotTestHost.StartAsync(new BotTestHostOptions { Database = _database });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Post_NeverAnswers5xxAndKeepsServing_WhenBodiesAreRandomTruncatedOrMutated()
    {
        var random = new Random(Seed);
        var user = TestUser.Create("Fuzz Tester");
        var statuses = new Dictionary<int, int>();
        var failures = new List<string>();

        for (var i = 0; i < Cases; i++)
        {
            var chat = _bot.PersonalChat(user, $"a:fuzz-{i % 17}");
            var (kind, body) = Mutate(random, chat);
            using var response = await _bot.PostRawAsync(body);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500)
                failures.Add($"case {i} ({kind}) → {status}: {Shorten(body)} / {Shorten(await response.Content.ReadAsStringAsync())}");
        }

        output.WriteLine($"{Cases} cases: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.True(statuses.Keys.Any(s => s is >= 400 and < 500), "The fuzzer produced no invalid input at all.");
        Assert.True(statuses.GetValueOrDefault(200) > 0, "The fuzzer never got past validation; it tests nothing deeper.");

        var healthy = _bot.PersonalChat(TestUser.Create("After Fuzz"));
        Assert.Equal(HttpStatusCode.OK, (await healthy.SendAsync("help")).Status);
        await healthy.ExpectCardAsync(TimeSpan.FromSeconds(30));
    }

    internal static (string Kind, string Body) Mutate(Random random, TestConversation chat)
    {
        var valid = Valid(random, chat);
        var json = valid.ToJsonString();
        switch (random.Next(7))
        {
            case 0:
                return ("truncated", json[..random.Next(json.Length)]);
            case 1:
            {
                var bytes = Encoding.UTF8.GetBytes(json);
                for (var n = random.Next(1, 6); n > 0; n--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return ("bytes flipped", Encoding.UTF8.GetString(bytes));
            }
            case 2:
            {
                var paths = Paths(valid).Where(p => p != "serviceUrl").ToList();
                var path = paths[random.Next(paths.Count)];
                Set(valid, path, RandomValue(random, 0));
                return ($"{path} replaced", valid.ToJsonString());
            }
            case 3:
            {
                var depth = random.Next(10, 3000);
                return ($"nested {depth}", json[..^1] + ",\"value\":" + new string('[', depth) + new string(']', depth) + "}");
            }
            case 4:
            {
                var junk = new char[random.Next(1, 400)];
                for (var k = 0; k < junk.Length; k++) junk[k] = (char)random.Next(1, 0xD7FF);
                return ("junk", new string(junk));
            }
            case 5:
            {
                valid["text"] = HostileText(random);
                valid["from"]!["name"] = HostileText(random);
                return ("hostile text", valid.ToJsonString());
            }
            default:
                return ("valid", json);
        }
    }

    private static JsonObject Valid(Random random, TestConversation chat)
    {
        var type = new[] { ActivityTypes.Message, ActivityTypes.Invoke, ActivityTypes.ConversationUpdate, ActivityTypes.InstallationUpdate, ActivityTypes.MessageReaction, "somethingNew" }[random.Next(6)];
        var activity = chat.NewActivity(type);
        activity.Text = new[] { "help", "help help", "hlep", "<at>ApprovalBot</at> help", "", "${x}" }[random.Next(6)];
        activity.Name = type == ActivityTypes.Invoke ? InvokeNames.AdaptiveCardAction : null;
        activity.Action = type == ActivityTypes.InstallationUpdate ? "add" : null;
        activity.MembersAdded = type == ActivityTypes.ConversationUpdate ? [new ChannelAccount { Id = activity.Recipient!.Id }] : null;
        activity.Value = type == ActivityTypes.Invoke
            ? new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = random.Next(2) == 0 ? "showHelp" : "nope", ["data"] = new JsonObject { ["x"] = 1 } } }
            : null;
        activity.Entities = [System.Text.Json.JsonSerializer.Deserialize<Entity>("""{"type":"mention","text":"<at>ApprovalBot</at>","mentioned":{"id":"28:x","name":"ApprovalBot"}}""", ProtocolJson.Options)!];
        return JsonNode.Parse(ProtocolJson.Serialize(activity))!.AsObject();
    }

    private static JsonNode? RandomValue(Random random, int depth) => random.Next(depth > 2 ? 6 : 9) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(random.NextDouble() * 1e300),
        3 => JsonValue.Create(long.MinValue + random.Next()),
        4 => JsonValue.Create(new string('x', random.Next(0, 5000))),
        5 => JsonValue.Create(HostileText(random)),
        6 => new JsonArray(RandomValue(random, depth + 1), null, RandomValue(random, depth + 1)),
        7 => new JsonObject { ["id"] = RandomValue(random, depth + 1), ["type"] = RandomValue(random, depth + 1), ["name"] = RandomValue(random, depth + 1) },
        _ => new JsonArray(),
    };

    private static string HostileText(Random random)
    {
        var pieces = new[] { "<at>", "</at>", "<at>ApprovalBot</at>", "${x}", "${$root}", "**bold**", "\u202E", "\0", "\uFFFF", "😀", "\\", "\"", "'", "\n", "{{DATE(2026-01-01T00:00:00Z)}}", "<script>", new string('a', 3000), " " };
        var builder = new StringBuilder();
        for (var n = random.Next(1, 12); n > 0; n--) builder.Append(pieces[random.Next(pieces.Length)]);
        return builder.ToString();
    }

    private static IEnumerable<string> Paths(JsonNode node, string prefix = "")
    {
        if (node is JsonObject o)
        {
            foreach (var (key, value) in o)
            {
                var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
                yield return path;
                if (value is not null) foreach (var inner in Paths(value, path)) yield return inner;
            }
        }
    }

    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        JsonNode node = root;
        foreach (var part in parts[..^1]) node = node[part]!;
        node.AsObject()[parts[^1]] = value;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

public sealed class SqliteMalformedInputTests(ITestOutputHelper output) : MalformedInputTests(new SqliteTestDatabases(), output);

public sealed class PostgresMalformedInputTests(PostgresServerFixture postgres, ITestOutputHelper output)
    : MalformedInputTests(postgres, output), IClassFixture<PostgresServerFixture>;
