using ApprovalBot.Domain.Approvals;
using static ApprovalBot.UnitTests.Domain.Approvals.Requests;

namespace ApprovalBot.UnitTests.Domain.Approvals;

public class AuditTrailTests
{
    [Fact]
    public async Task AuditTrail_RecordsEveryStepInOrder_WithWhoForWhomAndRevision()
    {
        var request = await Submit(BuiltInFlows.Agreement());
        await request.Approve(People.Zed);                                   // refused: not an approver
        await request.Approve(People.Bob, comment: "Fine by me");
        request.AskForChanges(People.Lena, "Cap liability");
        await request.ResubmitAsync(People.Alice, new Resubmission("Capped"), FakeDirectory.Standard(), AroundTheClockCalendar.Instance, Monday10.AddHours(2));
        request.Delegate(People.Lena, request.CurrentCard, People.Dan, null, Monday10.AddHours(3));
        await request.Approve(People.Dan);
        await request.Approve(People.Mia);

        var trail = request.AuditTrail;
        Assert.Equal(Enumerable.Range(1, trail.Count), trail.Select(a => a.Sequence));
        Assert.Equal(
            [
                "Submitted system?alice r1 s- Accepted",
                "StageStarted system r1 s1 Accepted",
                "Approve zed r1 s1 Refused",
                "Approve bob r1 s1 Accepted",
                "StageCompleted system r1 s1 Accepted",
                "StageStarted system r1 s2 Accepted",
                "RequestChanges lena r1 s2 Accepted",
                "StageCompleted system r1 s2 Accepted",
                "Resubmitted alice r2 s2 Accepted",
                "StageStarted system r2 s2 Accepted",
                "Delegate lena r2 s2 Accepted",
                "Approve dan for lena r2 s2 Accepted",
                "StageCompleted system r2 s2 Accepted",
                "StageStarted system r2 s3 Accepted",
                "Approve mia r2 s3 Accepted",
                "StageCompleted system r2 s3 Accepted",
                "Completed system r2 s3 Accepted",
            ],
            trail.Select(a => $"{a.Action} {(a.Action == AuditAction.Submitted ? "system?" + a.Actor : a.Who)} r{a.Revision} s{a.StageNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} {a.Outcome}"));
        Assert.Equal("Fine by me", trail[3].Comment);
        Assert.Equal("Cap liability", trail[6].Comment);
        Assert.Equal("Legal", trail[6].StageName);
    }

    [Fact]
    public async Task AuditTrail_IsReadOnly()
    {
        var request = await Submit(BuiltInFlows.Agreement());

        Assert.False(request.AuditTrail is List<AuditEntry>);
        Assert.Throws<NotSupportedException>(() => ((IList<AuditEntry>)request.AuditTrail).Add(request.AuditTrail[0]));
    }
}
