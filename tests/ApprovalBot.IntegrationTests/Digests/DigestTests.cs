using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport.Storage;

namespace ApprovalBot.IntegrationTests.Digests;

/// <summary><c>digest now</c> through the real endpoint on a manual clock: each section most urgent first, the empty digest, the usage (subscriptions: <see cref="DigestSubscriptionTests"/>).</summary>
public sealed class DigestTests : IAsyncLifetime
{
    // Monday 23 November 2026, 10:00 UTC: within the default working hours, so the request form starts a stage now.
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private EscalationTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await EscalationTestBed.StartAsync(await new SqliteTestDatabases().CreateDatabaseAsync(), Monday10);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private static bool IsDigest(JsonObject card) => TestConversation.Texts(card).StartsWith("Your digest", StringComparison.Ordinal);

    [Fact]
    public async Task DigestNow_ShowsTheWaitingApproval_ThenTheEscalationsBreachedAtRiskOnTrack_ThenKpis()
    {
        var agreementId = await _bed.ActiveAgreementAsync(Cast.Alex);
        var alex = await _bed.ChatWithAsync(Cast.Alex);
        await alex.SendAsync("request");
        var (form, _) = await alex.ExpectCardAsync();
        var started = await alex.ClickAsync(form.ActivityId, RequestFormVerbs.Submit, new JsonObject { ["title"] = "Replace the core switch", ["approvers"] = "meganb@example.com" });
        Assert.Equal(HttpStatusCode.OK, started.Status);
        await _bed.OpenAsync(agreementId, Priority.P3, "Printer jam", Cast.Alex);     // 4 h to respond: on track at 50 min
        await _bed.OpenAsync(agreementId, Priority.P2, "VPN is slow", Cast.Alex);     // 1 h to respond: 83 % used at 50 min
        await _bed.OpenAsync(agreementId, Priority.P1, "Mail is down", Cast.Alex);    // 15 min to respond: breached at 50 min
        await _bed.JumpToAsync(Monday10.AddMinutes(50));

        await alex.SendAsync("digest now");
        var (_, card) = await alex.ExpectCardAsync(IsDigest);

        var texts = TestConversation.Texts(card);
        Assert.Contains("Approvals waiting (1)", texts, StringComparison.Ordinal);
        Assert.Contains("waiting 50 min · waiting for Megan Bowen", texts, StringComparison.Ordinal);
        Assert.Contains("Active escalations (3)", texts, StringComparison.Ordinal);
        Assert.Contains("1 breached", texts, StringComparison.Ordinal);
        Assert.Contains("1 at risk", texts, StringComparison.Ordinal);
        InOrder(texts, "Approvals waiting", "Replace the core switch", "Active escalations",
            "Breached", "Mail is down", "At risk", "VPN is slow", "On track", "Printer jam",
            "KPIs of your agreements", "Contoso help desk");
        Assert.DoesNotContain("Provider updates", texts, StringComparison.Ordinal); // none due within a day
        Assert.Contains("3 opened", texts, StringComparison.Ordinal);
        Assert.Contains("approval.open", Cards.Verbs(card));
        Assert.Contains("escalation.open", Cards.Verbs(card));
    }

    [Fact]
    public async Task Digest_ForSomeoneWithNothing_IsShort_AndSaysNothingIsWaiting()
    {
        var patti = await _bed.ChatWithAsync(Cast.Patti);

        await patti.SendAsync("digest");
        var (_, card) = await patti.ExpectCardAsync();

        var texts = TestConversation.Texts(card);
        Assert.StartsWith("Your digest", texts, StringComparison.Ordinal);
        Assert.Contains("Nothing is waiting for you", texts, StringComparison.Ordinal);
        Assert.DoesNotContain("Approvals waiting", texts, StringComparison.Ordinal);
        Assert.DoesNotContain("Active escalations", texts, StringComparison.Ordinal);
        Assert.DoesNotContain("KPIs of your agreements", texts, StringComparison.Ordinal);
        Assert.Empty(Cards.Verbs(card));
    }

    [Fact]
    public async Task DigestInAChannel_SaysSo_WhenTheSenderTakesPartInNothing()
    {
        var general = _bed.Bot.Channel(Cast.Patti);

        await general.SendAsync("digest now");
        var reply = await general.ExpectMessageAsync();

        Assert.Null(TestConversation.CardOf(reply.Current));
        Assert.Contains("no digest of yours to post here", reply.Current.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Digest_WithAScheduleItCannotRead_GetsTheUsage_NamingWhatIsWrong()
    {
        var alex = await _bed.ChatWithAsync(Cast.Alex);

        await alex.SendAsync("digest weekly at 9");
        var (_, card) = await alex.ExpectCardAsync();

        var texts = TestConversation.Texts(card);
        Assert.Contains("'at' is not a day of the week", texts, StringComparison.Ordinal);
        Assert.Contains("digest weekly mon 09:00", texts, StringComparison.Ordinal);
        Assert.DoesNotContain("Your digest", texts, StringComparison.Ordinal);
    }

    private static void InOrder(string texts, params string[] parts)
    {
        var at = 0;
        foreach (var part in parts)
        {
            var found = texts.IndexOf(part, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{part}' does not follow in order in:\n{texts}");
            at = found + part.Length;
        }
    }
}
