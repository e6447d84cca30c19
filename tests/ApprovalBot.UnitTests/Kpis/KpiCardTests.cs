using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Kpis;
using ApprovalBot.Domain.Uptime;
using ApprovalBot.Kpis;
using ApprovalBot.Kpis.Cards;
using ApprovalBot.Kpis.Teams;
using ApprovalBot.Teams.Cards;
using ApprovalBot.UnitTests.Approvals.Cards;
using ApprovalBot.UnitTests.Cards;
using ApprovalBot.UnitTests.Domain.Kpis;
using Microsoft.Extensions.Logging.Abstractions;
using static ApprovalBot.UnitTests.Domain.Calendars.Wall;
using static ApprovalBot.UnitTests.Domain.Escalations.EscalationSamples;

namespace ApprovalBot.UnitTests.Kpis;

/// <summary>The KPI card built from the hand-computed fixture, and how <c>kpi</c> splits an agreement's name from a period.</summary>
public class KpiCardTests
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById(Berlin);
    private readonly KpiCards _cards = new(new CardRenderer(NullLogger<CardRenderer>.Instance));

    private static KpiResult Result(bool all = false)
    {
        var escalations = KpiCalculatorTests.Fixture();
        var overall = KpiCalculator.Compute(all ? null : escalations[0].AgreementId, all ? ComputeKpis.AllScope : "Contoso support 2026", KpiCalculatorTests.Week, escalations, KpiCalculatorTests.Now);
        IReadOnlyList<KpiReport> each = all ? [KpiCalculator.Compute(escalations[0].AgreementId, "Contoso support 2026", KpiCalculatorTests.Week, escalations, KpiCalculatorTests.Now)] : [];
        return new KpiResult(KpiCalculatorTests.Week, overall, each, null);
    }

    [Fact]
    public void Card_ShowsEachFigureWithItsCountsAndExclusions()
    {
        var texts = CardReading.TextRuns(_cards.Render(Result(), Zone));

        Assert.Contains("KPIs · Contoso support 2026", texts);
        Assert.Contains("That week · 5 Jan 2026 00:00 – 12 Jan 2026 00:00 (Europe/Berlin)", texts);
        Assert.Contains("P1 0 · P2 4 · P3 1 · P4 0", texts);
        Assert.Contains("median 20m", texts);
        Assert.Contains("p90 2h · mean 45m · 4 counted, 1 excluded", texts);
        Assert.Contains("median 5h", texts);
        Assert.Contains("p90 5h 30m · mean 4h 50m · 3 counted, 2 excluded", texts);
        Assert.Contains("60.0 %", texts);
        Assert.Contains("3 met · 2 missed · 0 pending", texts);
        Assert.Contains("75.0 %", texts);
        Assert.Contains("3 met · 1 missed · 1 pending", texts);
        Assert.Contains("3.5", texts);
        Assert.Contains("4 answers", texts);
        Assert.Contains(KpiCalculator.UptimeNotReported, texts);
        Assert.Contains(texts, t => t.Contains("still open (reopened ones included) are excluded, not counted as resolved", StringComparison.Ordinal));
        Assert.Contains(KpiCardModel.Footnote, texts);
        Assert.DoesNotContain("By agreement", CardJson.Elements(_cards.Render(Result(), Zone)).Where(e => e.Type == "TextBlock").Select(e => e.Element["text"]!.GetValue<string>()));
    }

    [Fact]
    public void Summary_NamesCadenceCompliance_OnlyWhenItWasMeasured()
    {
        var report = Result().Overall!;

        Assert.DoesNotContain("updates on time", KpiCardModel.Summary(report), StringComparison.Ordinal);
        var measured = report with { CadenceCompliance = new PercentFigure(75, 4, null, "3 of 4 updates on time") };
        Assert.EndsWith(" · updates on time 75.0 %", KpiCardModel.Summary(measured), StringComparison.Ordinal);
    }

    [Fact]
    public void Card_ShowsAReportedUptime_WithItsThreeDecimals_AndHowManyReports()
    {
        var escalations = KpiCalculatorTests.Fixture();
        var week = KpiCalculatorTests.Week;
        var uptime = UptimeReport.Create(escalations[0].AgreementId, week.From, week.To, 99.95, "Mail", null, "monitoring", KpiCalculatorTests.Now);
        var report = KpiCalculator.Compute(escalations[0].AgreementId, "Contoso support 2026", week, escalations, KpiCalculatorTests.Now, [uptime]);

        var texts = CardReading.TextRuns(_cards.Render(new KpiResult(week, report, [], null), Zone));

        Assert.Contains("99.95 %", texts);
        Assert.Contains("1 report", texts);
        Assert.DoesNotContain(KpiCalculator.UptimeNotReported, texts);
    }

    [Fact]
    public void AllAgreementsCard_AddsALinePerAgreement()
    {
        var card = _cards.Render(Result(all: true), Zone);

        var texts = CardReading.TextRuns(card);
        Assert.Contains("KPIs · All agreements", texts);
        Assert.Contains(" · 5 opened · response 60.0 % · resolution 75.0 % · MTTR median 5h", texts);
    }

    [Fact]
    public void AllAgreementsCard_ShowsFewerLines_WhenTheCardWouldExceedTheBudget()
    {
        var small = new KpiCards(new CardRenderer(NullLogger<CardRenderer>.Instance, 8 * 1024));
        var each = Enumerable.Range(1, 30)
            .Select(i => KpiCalculator.Compute(i, new string('x', Agreement.MaxNameLength), KpiCalculatorTests.Week, [], KpiCalculatorTests.Now))
            .ToList();
        var result = Result(all: true) with { Agreements = each };

        var card = small.Render(result, Zone);

        Assert.InRange(CardRenderer.MeasureBytes(card), 1, 8 * 1024);
        var shown = CardReading.TextRuns(card).Count(t => t == new string('x', Agreement.MaxNameLength));
        Assert.InRange(shown, 1, KpiCardModel.MaxAgreements - 1);
        Assert.Contains($"and {30 - shown} more agreements: the API lists them all", CardReading.TextRuns(card));
    }

    [Theory]
    [InlineData(40, "40s")]
    [InlineData(45 * 60, "45m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData((50 * 3600) + (5 * 60), "50h 5m")]
    public void Span_IsHoursAndMinutes_NeverDays(int seconds, string expected) =>
        Assert.Equal(expected, KpiCardModel.Span(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("contoso 7d", "Contoso support 2026", "7d")]
    [InlineData("Contoso support 2026 last month", "Contoso support 2026", "last month")]
    [InlineData("contoso", "Contoso support 2026", "")]
    [InlineData("all q4", null, "q4")]
    [InlineData("ALL", null, "")]
    public void Split_FindsTheAgreementAndThePeriod(string words, string? agreement, string period)
    {
        var (found, rest, problem) = KpiCommandHandler.Split(words.Split(' '), [ActiveAgreement()], Periods);

        Assert.Null(problem);
        Assert.Equal(agreement, found?.Name);
        Assert.Equal(period, rest);
    }

    [Theory]
    [InlineData("contoso fortnight", "I don't know the period 'fortnight'")]
    [InlineData("fabrikam 7d", "No active agreement is called 'fabrikam'. Or give all.")]
    public void Split_SaysWhatIsWrong(string words, string expected)
    {
        var (_, _, problem) = KpiCommandHandler.Split(words.Split(' '), [ActiveAgreement()], Periods);

        Assert.NotNull(problem);
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
    }

    private static string? Periods(string words) =>
        KpiPeriod.TryParse(words, Zone, At(Berlin, 2026, 12, 7, 10), out _, out var error) ? null : error;
}
