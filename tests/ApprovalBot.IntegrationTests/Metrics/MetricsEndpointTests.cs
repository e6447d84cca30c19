using System.Net;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Escalations;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Teams.Outbox;
using ApprovalBot.TestSupport.Connector;
using Microsoft.EntityFrameworkCore;
using ApprovalBot.TestSupport;
using static ApprovalBot.IntegrationTests.Metrics.MetricsScrape;

namespace ApprovalBot.IntegrationTests.Metrics;

/// <summary>
/// One bot (signed tokens, SQLite, Quartz, manual clock) shared by the tests of <see cref="MetricsEndpointTests"/>; each
/// test reads how much a series grew across its own traffic, so the order of the tests does not matter.
/// </summary>
public sealed class MetricsBotFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    public ManualTimeProvider Clock { get; } = new(Monday10);

    public BotTestHost Bot { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Bot = await BotTestHost.StartAsync(new BotTestHostOptions { Time = Clock, Settings = KeySettings() });

    public async Task DisposeAsync() => await Bot.DisposeAsync();
}

/// <summary>
/// <c>/metrics</c> through the real host: its text passes <c>promtool check metrics</c>, its counters and histograms move
/// with the traffic the test sends through the real endpoint, its gauges show what is in the database, and it carries no
/// personal data.
/// </summary>
public sealed class MetricsEndpointTests(MetricsBotFixture fixture) : IClassFixture<MetricsBotFixture>
{
    private BotTestHost Bot => fixture.Bot;

    [Fact]
    public async Task Scrape_PassesPromtoolCheckMetrics_WithCountersHistogramsAndGauges()
    {
        var chat = await Bot.WelcomedChatAsync(TestUser.Create("Promtool Person"));
        await chat.SendAsync("help");
        await chat.ExpectCardAsync();
        await chat.PostAsync(chat.NewActivity(ActivityTypes.Message), authorization: "Bearer not-a-token");

        var (status, text, contentType) = await GetAsync(Bot);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", contentType);
        Assert.Contains("# TYPE approvalbot_activities_received_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE approvalbot_command_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE approvalbot_outbox_pending gauge", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE approvalbot_timers_armed gauge", text, StringComparison.Ordinal);
        var (exit, output) = await Promtool.RunAsync(["check", "metrics"], text);
        Assert.True(exit == 0, $"promtool check metrics failed ({exit}):\n{output}\n--- the scrape ---\n{text}");
    }

    [Fact]
    public async Task ActivitiesReceived_AndCommandLatency_GrowByTheMessagesSent()
    {
        var chat = await Bot.WelcomedChatAsync(TestUser.Create("Counting Person"));
        var before = await TextAsync(Bot);

        const int N = 3;
        for (var i = 0; i < N; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await chat.SendAsync("help")).Status);
            await chat.ExpectCardAsync();
        }
        // The dispatcher counts a send when the connector answers and marks the message sent just after; the fake has
        // stored the card by then, so wait for the outbox before reading the counter.
        await Bot.WaitForOutboxToSettleAsync();
        var after = await TextAsync(Bot);

        (string, string)[] handledMessages = [("type", "message"), ("outcome", "handled")];
        Assert.Equal(N, Value(after, "approvalbot_activities_received_total", handledMessages) - Value(before, "approvalbot_activities_received_total", handledMessages));
        (string, string)[] help = [("command", "help"), ("outcome", "handled")];
        Assert.Equal(N, Value(after, "approvalbot_command_duration_seconds_count", help) - Value(before, "approvalbot_command_duration_seconds_count", help));
        Assert.Equal(N, Value(after, "approvalbot_command_duration_seconds_bucket", [.. help, ("le", "+Inf")]) - Value(before, "approvalbot_command_duration_seconds_bucket", [.. help, ("le", "+Inf")]));
        Assert.True(Value(after, "approvalbot_command_duration_seconds_sum", help) > Value(before, "approvalbot_command_duration_seconds_sum", help));
        // Each help card went out through the outbox and was classified as sent.
        Assert.True(Value(after, "approvalbot_outbound_sends_total", ("result", "sent")) - Value(before, "approvalbot_outbound_sends_total", ("result", "sent")) >= N);
    }

    [Fact]
    public async Task AuthFailures_CountTheReason_WhenATokenIsBadOrMissing()
    {
        var chat = Bot.PersonalChat(TestUser.Create("Forger Person"));
        var before = await TextAsync(Bot);

        Assert.Equal(HttpStatusCode.Unauthorized, (await chat.PostAsync(chat.NewActivity(ActivityTypes.Message), authorization: "Bearer not-a-token")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await chat.PostAsync(chat.NewActivity(ActivityTypes.Message), authorization: "Bearer another.bad.token")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await chat.PostAsync(chat.NewActivity(ActivityTypes.Message), authorization: null)).Status);
        var after = await TextAsync(Bot);

        double Grew(string name, params (string, string)[] labels) => Value(after, name, labels) - Value(before, name, labels);
        Assert.Equal(2, Grew("approvalbot_auth_failures_total", ("reason", "malformed_token")));
        Assert.Equal(1, Grew("approvalbot_auth_failures_total", ("reason", "missing_authorization_header")));
        Assert.Equal(3, Grew("approvalbot_activities_received_total", ("type", "message"), ("outcome", "unauthorized")));
    }

    [Fact]
    public async Task GivenUp_CountsAMessageTheConnectorRefusesForGood()
    {
        var chat = await Bot.WelcomedChatAsync(TestUser.Create("Refused Person"));
        var before = await TextAsync(Bot);

        // Teams refuses the reply for good (400 is not worth retrying): the dispatcher gives it up at once.
        Bot.Connector.Enqueue(FakeResponse.Error(400, "BadArgument", "Activity is not valid."), conversationId: chat.Id);
        await chat.SendAsync("help");
        await Bot.WaitUntilStoredAsync(
            db => db.OutboxMessages.AnyAsync(m => m.ConversationId == chat.Id && m.Status == OutboxStatus.GivenUp),
            "the refused reply was not given up", TimeSpan.FromSeconds(20));
        var after = await TextAsync(Bot);

        Assert.Equal(1, Value(after, "approvalbot_outbox_given_up_total") - Value(before, "approvalbot_outbox_given_up_total"));
    }

    [Fact]
    public async Task UnreadableRequests_CountTheReason_WhenNoActivityCanBeReadFromTheBody()
    {
        var before = await TextAsync(Bot);

        using (var notJson = await Bot.PostRawAsync("{\"type\":\"message\"}", contentType: "text/plain"))
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
        using (var tooLarge = await Bot.PostRawAsync("{\"type\":\"message\",\"text\":\"" + new string('x', 600 * 1024) + "\"}"))
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        using (var malformed = await Bot.PostRawAsync("{\"type\":\"message\","))
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        using (var untyped = await Bot.PostRawAsync("{\"text\":\"help\"}"))
            Assert.Equal(HttpStatusCode.BadRequest, untyped.StatusCode);
        using (var untypedAgain = await Bot.PostRawAsync("{\"type\":\" \"}"))
            Assert.Equal(HttpStatusCode.BadRequest, untypedAgain.StatusCode);
        var after = await TextAsync(Bot);

        double Grew(string reason) =>
            Value(after, "approvalbot_requests_unreadable_total", ("reason", reason)) - Value(before, "approvalbot_requests_unreadable_total", ("reason", reason));
        Assert.Equal(1, Grew("unsupported_media_type"));
        Assert.Equal(1, Grew("payload_too_large"));
        Assert.Equal(1, Grew("malformed"));
        Assert.Equal(2, Grew("no_type"));
    }

    [Fact]
    public async Task TimerLateness_CountsAFireOnTheManualClock_AndTheGaugesShowTheEscalationAndItsTimer()
    {
        var agreementId = await EscalationSetup.ActiveAgreementAsync(Bot, fixture.Clock.GetUtcNow(), name: "Lateness help desk");
        await EscalationSetup.ChatWithAsync(Bot, Cast.Adele);
        await EscalationSetup.ChatWithAsync(Bot, Cast.Isaiah);
        var before = await TextAsync(Bot);
        var escalation = await EscalationSetup.OpenAsync(Bot, agreementId, "Mail server down");

        // The gauges are read from the database at most once a second: poll until they show the new escalation.
        var open = await PollAsync(text => Value(text, "approvalbot_escalations_open", ("level", "L1"), ("sla_state", "on_track"))
                                           > Value(before, "approvalbot_escalations_open", ("level", "L1"), ("sla_state", "on_track")));
        Assert.True(Value(open, "approvalbot_timers_armed", ("kind", EscalationTimers.Kind)) >= 1);

        // P2 is answered within an hour around the clock: an hour on, L1 missed it and the timer fires.
        await Bot.WaitForOutboxToSettleAsync();
        fixture.Clock.Advance(TimeSpan.FromHours(1));
        string? fired = null;
        await fixture.Clock.TickUntilAsync(
            async () => Value(fired = await TextAsync(Bot), "approvalbot_timer_lateness_seconds_count", ("kind", EscalationTimers.Kind))
                        > Value(before, "approvalbot_timer_lateness_seconds_count", ("kind", EscalationTimers.Kind)),
            () => $"no escalation timer fire counted for escalation {escalation.Id}");
        Assert.Equal(
            Value(fired!, "approvalbot_timer_lateness_seconds_count", ("kind", EscalationTimers.Kind)),
            Value(fired!, "approvalbot_timer_lateness_seconds_bucket", ("kind", EscalationTimers.Kind), ("le", "+Inf")));
        await PollAsync(text => Value(text, "approvalbot_escalations_open", ("level", "L2")) >= 1);
    }

    [Fact]
    public async Task Metrics_CarryNoPersonalData_NamesIdsOrText()
    {
        var person = new TestUser("29:zebulon-quixotic-id", "Zebulon Quixotic-Farnsworth", "7d1c0e5a-9b7e-4f0b-8a55-3c2f1e6d9a01");
        const string agreementName = "Xylophonic Umbrella Works support";
        const string secretText = "my password is hunter2 please reset";
        var chat = await Bot.WelcomedChatAsync(person);
        var requester = await Bot.WelcomedChatAsync(Cast.Alex); // the test directory knows Alex's manager
        long agreementId;
        await using (var db = Bot.CreateDbContext())
        {
            var agreement = Agreement.CreateDraft(agreementName, SampleTerms.Complete() with { OversightOwners = [new(Cast.Alex.AadObjectId)] },
                new(Cast.Alex.AadObjectId), fixture.Clock.GetUtcNow());
            db.Agreements.Add(agreement);
            await db.SaveChangesAsync();
            agreementId = agreement.Id;
        }
        var before = await TextAsync(Bot);
        Assert.Equal(HttpStatusCode.OK, (await requester.SendAsync($"agreement submit {agreementId}")).Status);
        await chat.SendAsync(secretText);
        await chat.SendAsync($"{agreementName} {person.Name}");
        await chat.ClickAsync("no-such-message", "verb-made-up-by-" + person.Name.Replace(' ', '-'), new System.Text.Json.Nodes.JsonObject { ["name"] = person.Name });
        await Bot.WaitForOutboxToSettleAsync();

        // The submitted agreement waits for its first approval stage: the gauge counts it by the stage's configured name.
        var text = await PollAsync(t => Samples(t).Any(s => s.Name == "approvalbot_approvals_waiting" && s.Value >= 1));
        Assert.NotEqual(text, before);
        foreach (var secret in new[] { person.Name, "Zebulon", "Quixotic", person.Id, person.AadObjectId, chat.Id, agreementName, "Xylophonic", "hunter2", "verb-made-up" })
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        // Unknown commands and verbs are counted, under "other".
        Assert.True(Value(text, "approvalbot_command_duration_seconds_count", ("command", "other")) >= 2);
        Assert.True(Value(text, "approvalbot_activities_received_total", ("type", "invoke"), ("outcome", "unrouted")) >= 1);
    }

    private Task<string> PollAsync(Func<string, bool> condition) => ScrapeUntilAsync(Bot, condition);
}
