using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Uptime;

namespace ApprovalBot.UnitTests.Domain.Uptime;

public class UptimeReportTests
{
    private static readonly DateTimeOffset Nov1 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static UptimeReport Create(DateTimeOffset? from = null, DateTimeOffset? to = null, double percent = 99.95, string? service = "Mail",
        string? note = null, string reportedBy = "monitoring", DateTimeOffset? now = null) =>
        UptimeReport.Create(7, from ?? Nov1, to ?? Nov1.AddDays(30), percent, service, note, reportedBy, now ?? Now);

    private static string Refused(Func<UptimeReport> create) => Assert.Throws<DomainException>(() => create()).Code;

    [Fact]
    public void Create_KeepsAValidReport_TrimmedAndInUtc()
    {
        var report = Create(from: new DateTimeOffset(2026, 11, 1, 1, 0, 0, TimeSpan.FromHours(1)), service: "  Mail  ", note: "   ", reportedBy: " monitoring ");

        Assert.Equal((7L, "Mail", (string?)null, "monitoring", 99.95, TimeSpan.Zero), (report.AgreementId, report.Service, report.Note, report.ReportedBy, report.Percent, report.From.Offset));
        Assert.Equal((Nov1, Nov1.AddDays(30), Now), (report.From, report.To, report.ReportedAt));
    }

    [Fact]
    public void Create_AcceptsTheLimits_ExactlyMaxDaysEndingNow_0And100AndThreeDecimals()
    {
        Assert.Equal(TimeSpan.FromDays(366), Create(from: Now.AddDays(-366), to: Now).To - Create(from: Now.AddDays(-366), to: Now).From);
        Assert.Equal(0, Create(percent: 0).Percent);
        Assert.Equal(100, Create(percent: 100).Percent);
        Assert.Equal(99.995, Create(percent: 99.995).Percent);
        Assert.Null(Create(service: null).Service);
    }

    [Fact]
    public void Create_RefusesAPeriod_ThatIsEmptyBackwardsTooLongOrNotOver()
    {
        Assert.Equal("uptime.period", Refused(() => Create(to: Nov1)));
        Assert.Equal("uptime.period", Refused(() => Create(to: Nov1.AddHours(-1))));
        Assert.Equal("uptime.period", Refused(() => Create(from: Now.AddDays(-366).AddSeconds(-1), to: Now)));
        Assert.Equal("uptime.period", Refused(() => Create(to: Now.AddSeconds(1))));
    }

    [Theory]
    [InlineData(-0.001)]
    [InlineData(100.001)]
    [InlineData(99.9995)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Create_RefusesAPercent_OutsideZeroToHundredOrWithMoreThanThreeDecimals(double percent) =>
        Assert.Equal("uptime.percent", Refused(() => Create(percent: percent)));

    [Fact]
    public void Create_RefusesTooLongTexts_AndNoReporter()
    {
        Assert.Equal("uptime.service", Refused(() => Create(service: new string('s', UptimeReport.MaxServiceLength + 1))));
        Assert.Equal("uptime.note", Refused(() => Create(note: new string('n', UptimeReport.MaxNoteLength + 1))));
        Assert.Equal("uptime.reporter", Refused(() => Create(reportedBy: " ")));
        Assert.Equal(UptimeReport.MaxNoteLength, Create(note: new string('n', UptimeReport.MaxNoteLength)).Note!.Length);
    }

    [Fact]
    public void Overlaps_IsTrue_ForTheSameServiceIgnoringCase_WhenThePeriodsShareTime()
    {
        var november = Create();

        Assert.True(november.Overlaps(Create(from: Nov1.AddDays(29), to: Nov1.AddDays(31), service: "MAIL")));
        Assert.False(november.Overlaps(Create(from: Nov1.AddDays(30), to: Nov1.AddDays(31))));
        Assert.False(november.Overlaps(Create(from: Nov1.AddDays(29), to: Nov1.AddDays(31), service: "VPN")));
        Assert.False(november.Overlaps(Create(service: null)));
        Assert.True(Create(service: null).Overlaps(Create(service: " ")));
    }
}
