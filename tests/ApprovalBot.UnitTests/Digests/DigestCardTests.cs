using System.Text;
using ApprovalBot.Digests;
using ApprovalBot.Digests.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.CommunicationPlans;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Domain.Kpis;
using ApprovalBot.Kpis;
using ApprovalBot.Teams.Cards;
using ApprovalBot.UnitTests.Approvals.Cards;
using ApprovalBot.UnitTests.Cards;
using ApprovalBot.UnitTests.Domain.Approvals;
using ApprovalBot.UnitTests.Domain.Kpis;
using Microsoft.Extensions.Logging.Abstractions;
using static ApprovalBot.UnitTests.Domain.Escalations.EscalationSamples;

namespace ApprovalBot.UnitTests.Digests;

/// <summary>The digest card: its order (most urgent first), its caps per section and the renderer's budget, and user text kept literal.</summary>
public class DigestCardTests
{
    private const string Hostile = "**bold** ${x} [link](https://x.example) <at>x</at> {{DATE(2026-01-01T00:00:00Z)}}";
    private static readonly TimeZoneInfo Zone = ApprovalScenarios.Berlin;
    private static readonly DateTimeOffset Now = Mon(9, 50);

    private static Escalation Opened(string title, Priority priority = Priority.P2, DateTimeOffset? at = null) =>
        Escalation.Open(Policy(priority), title, null, Reporter, at ?? Monday9);

    private static async Task<DigestApproval> WaitingAsync(string title, TimeSpan age, params string[] blocking) =>
        new(await ApprovalScenarios.Submit(title: title), DigestRole.Approver, age, blocking);

    private static KpiResult Kpis(params string[] agreements) =>
        new(KpiCalculatorTests.Week, null, [.. agreements.Select((name, i) => KpiCalculator.Compute(i + 1, name, KpiCalculatorTests.Week, [], Now))], null);

    private static Digest Digest(IReadOnlyList<DigestApproval>? approvals = null, IReadOnlyList<Escalation>? escalations = null, KpiResult? kpis = null) =>
        new(People.Alice, Now, approvals ?? [], escalations ?? [], kpis ?? Kpis());

    [Fact]
    public async Task Build_PutsTheOldestApprovalFirst_AndBreachedThenAtRiskThenTheRestOfTheEscalations()
    {
        var approvals = new[]
        {
            await WaitingAsync("young", TimeSpan.FromMinutes(20), "Bob Brown"),
            await WaitingAsync("old", TimeSpan.FromDays(2), "Megan Bowen", "Lena Lopez"),
        };
        var calm = Opened("calm", Priority.P3);
        var risky = Opened("at risk", at: Mon(9)); // response 45 of 60 min at 09:45
        var breached = Opened("breached", at: Monday9.AddDays(-3));

        var data = DigestCardModel.Build(Digest(approvals, [calm, risky, breached]), Zone);

        Assert.Equal(["old", "young"], data.Approvals.Items.Select(a => a.Title));
        Assert.Equal("waiting 2 d", data.Approvals.Items[0].Age);
        Assert.Equal("waiting for Megan Bowen, Lena Lopez", data.Approvals.Items[0].Blocking);
        Assert.Equal(["breached", "at risk", "calm"], data.Escalations.Items.Select(e => e.Title));
        Assert.True(data.Escalations.Items[0].Breached);
        Assert.True(data.Escalations.Items[1].AtRisk);
        Assert.Equal("L1: 3 (1 breached, 1 at risk)", data.Escalations.Levels);
        Assert.Null(data.NothingWaiting);
        Assert.Empty(data.ProviderUpdates.Items);
    }

    [Fact]
    public async Task Build_CapsEverySection_AndCountsTheRestInAndNMore()
    {
        var approvals = new List<DigestApproval>();
        for (var i = 0; i < DigestCardModel.MaxRows + 3; i++) approvals.Add(await WaitingAsync($"Request {i}", TimeSpan.FromHours(i)));
        var escalations = Enumerable.Range(0, DigestCardModel.MaxRows + 4).Select(i => Opened($"Problem {i}")).ToList();
        var kpis = Kpis([.. Enumerable.Range(0, DigestCardModel.MaxRows + 5).Select(i => $"Agreement {i}")]);

        var data = DigestCardModel.Build(Digest(approvals, escalations, kpis), Zone);

        Assert.Equal(DigestCardModel.MaxRows, data.Approvals.Items.Count);
        Assert.Equal("and 3 more", data.Approvals.More);
        Assert.Equal("Approvals waiting (13)", data.Approvals.Title);
        Assert.Equal("Request 12", data.Approvals.Items[0].Title);
        Assert.Equal(DigestCardModel.MaxRows, data.Escalations.Items.Count);
        Assert.Equal("and 4 more", data.Escalations.More);
        Assert.Equal("L1: 14 (14 at risk)", data.Escalations.Levels); // 50 of 60 min to respond
        Assert.Equal(DigestCardModel.MaxRows, data.Kpis.Items.Count);
        Assert.Equal("and 5 more agreements: kpi all lists them", data.Kpis.More);
    }

    [Fact]
    public async Task Render_HalvesTheRows_WhenManyLongItemsWouldBeOverTheBudget()
    {
        var renderer = new CardRenderer(NullLogger<CardRenderer>.Instance, 16 * 1024); // the same halving, a tighter budget
        var longText = new string('W', ApprovalRequest.MaxTitleLength);
        var names = Enumerable.Range(0, 8).Select(i => new string('N', 150) + i).ToArray();
        var approvals = new List<DigestApproval>();
        for (var i = 0; i < 40; i++) approvals.Add(await WaitingAsync(longText, TimeSpan.FromHours(i), names));
        var escalations = Enumerable.Range(0, 40).Select(_ => Opened(longText)).ToList();
        var kpis = Kpis([.. Enumerable.Range(0, 40).Select(i => longText + i)]);
        var digest = Digest(approvals, escalations, kpis);
        Assert.Throws<CardTooLargeException>(() => renderer.Render(CardTemplates.Digest, DigestCardModel.Build(digest, Zone)));

        var card = new DigestCards(renderer).Render(digest, Zone);

        Assert.True(Encoding.UTF8.GetByteCount(card.ToJsonString()) <= renderer.MaxCardBytes);
        var texts = CardReading.TextRuns(card);
        var shown = CardJson.Elements(card).Count(e => e.Type == "Action.Execute" && e.Element["verb"]!.GetValue<string>() == "approval.open");
        Assert.InRange(shown, 1, DigestCardModel.MaxRows / 2);
        Assert.Contains($"and {40 - shown} more", texts);
        Assert.Contains($"and {40 - shown} more agreements: kpi all lists them", texts);
        Assert.Contains(texts, t => t.Contains("and 5 more", StringComparison.Ordinal)); // 8 blocking names: 3 shown
    }

    [Fact]
    public async Task Render_ShowsUserTextLiterally()
    {
        var approvals = new[] { await WaitingAsync(Hostile, TimeSpan.FromHours(1), Hostile) };
        var card = new DigestCards(new CardRenderer(NullLogger<CardRenderer>.Instance)).Render(Digest(approvals, [Opened(Hostile)], Kpis(Hostile)), Zone);

        var texts = string.Join("\n", CardReading.TextRuns(card)).Replace("\u2060", "", StringComparison.Ordinal);
        Assert.Equal(4, CountOf(texts, "**bold** ${x} [link](https://x.example) <at>x</at>"));
        Assert.Contains("waiting for **bold** ${x}", texts, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SaysNothingIsWaiting_AndLeavesTheEmptySectionsOut_WhenThereIsNothing()
    {
        var card = new DigestCards(new CardRenderer(NullLogger<CardRenderer>.Instance)).Render(Digest(), Zone);

        var texts = CardReading.TextRuns(card);
        Assert.Contains(texts, t => t.StartsWith("Nothing is waiting for you", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.StartsWith("Approvals waiting", StringComparison.Ordinal) || t.StartsWith("Active escalations", StringComparison.Ordinal) || t.StartsWith("KPIs", StringComparison.Ordinal) || t.StartsWith("Provider updates", StringComparison.Ordinal));
        Assert.DoesNotContain(CardJson.Elements(card), e => e.Type == "Action.Execute");
    }

    private static DigestProviderUpdate Update(string agreement, TimeSpan dueIn)
    {
        var due = Now + dueIn;
        return new(agreement, UpdateObligation.Open(1, due.AddDays(-7), due, due.AddDays(7), TimeSpan.FromDays(1), TimeSpan.FromDays(1), due.AddDays(-7)));
    }

    [Fact]
    public void ProviderUpdates_ShowOverdueAndDueSoon_AsGathered_WithTheDueTimeInTheReadersZone_AndCapped()
    {
        var digest = Digest() with { ProviderUpdates = [Update("Contoso help desk", TimeSpan.FromHours(-3)), Update("Fabrikam network", TimeSpan.FromHours(5)), Update(Hostile, TimeSpan.FromHours(6))] };

        var data = DigestCardModel.Build(digest, Zone, maxRows: 2);
        Assert.Equal("Provider updates due (3)", data.ProviderUpdates.Title);
        Assert.Equal([("Contoso help desk", true), ("Fabrikam network", false)], data.ProviderUpdates.Items.Select(r => (r.AgreementName, r.Overdue)));
        Assert.Equal("due Mon 5 Jan 2026, 06:50 (Europe/Berlin)", data.ProviderUpdates.Items[0].Due); // 09:50 less 3 h
        Assert.Equal("and 1 more", data.ProviderUpdates.More);
        Assert.False(digest.IsEmpty);

        var texts = string.Join("\n", CardReading.TextRuns(new DigestCards(new CardRenderer(NullLogger<CardRenderer>.Instance)).Render(digest, Zone))).Replace("\u2060", "", StringComparison.Ordinal);
        Assert.Contains("Overdue", texts, StringComparison.Ordinal);
        Assert.Contains("Due soon", texts, StringComparison.Ordinal);
        Assert.Contains("**bold** ${x} [link](https://x.example) <at>x</at>", texts, StringComparison.Ordinal); // shortened to the name length
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
