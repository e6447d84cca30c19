using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.UnitTests.Domain.Approvals;

/// <summary>Business time is all time.</summary>
internal sealed class AroundTheClockCalendar : IBusinessCalendar
{
    public static readonly AroundTheClockCalendar Instance = new();

    public DateTimeOffset AddBusinessTime(DateTimeOffset start, TimeSpan duration) => start + duration;

    public TimeSpan BusinessTimeBetween(DateTimeOffset from, DateTimeOffset to) => to > from ? to - from : TimeSpan.Zero;

    public bool IsBusinessTime(DateTimeOffset instant) => true;
}

/// <summary>Monday to Friday, 09:00–17:00 UTC, no holidays: enough to see SLAs skip nights and weekends.</summary>
internal sealed class WeekdayCalendar : IBusinessCalendar
{
    public static readonly WeekdayCalendar Instance = new();
    private static readonly TimeSpan Open = TimeSpan.FromHours(9);
    private static readonly TimeSpan Close = TimeSpan.FromHours(17);

    public DateTimeOffset AddBusinessTime(DateTimeOffset start, TimeSpan duration)
    {
        var at = start.ToUniversalTime();
        var left = duration;
        while (true)
        {
            var (open, close) = Window(at.Date);
            if (at < open) at = open;
            if (at < close)
            {
                var available = close - at;
                if (left <= available) return at + left;
                left -= available;
            }

            at = new DateTimeOffset(at.Date.AddDays(1), TimeSpan.Zero);
        }
    }

    public TimeSpan BusinessTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        var total = TimeSpan.Zero;
        for (var day = from.UtcDateTime.Date; day <= to.UtcDateTime.Date; day = day.AddDays(1))
        {
            var (open, close) = Window(day);
            var start = open > from ? open : from;
            var end = close < to ? close : to;
            if (end > start) total += end - start;
        }

        return total;
    }

    public bool IsBusinessTime(DateTimeOffset instant)
    {
        var (open, close) = Window(instant.UtcDateTime.Date);
        return instant >= open && instant < close;
    }

    private static (DateTimeOffset Open, DateTimeOffset Close) Window(DateTime day)
    {
        var midnight = new DateTimeOffset(day, TimeSpan.Zero);
        return day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? (midnight, midnight) : (midnight + Open, midnight + Close);
    }
}

/// <summary>A directory in memory: managers and groups; anything unknown cannot be resolved.</summary>
internal sealed class FakeDirectory : IApproverResolver
{
    public Dictionary<PersonId, PersonId> Managers { get; } = [];

    public Dictionary<string, List<PersonId>> Groups { get; } = new(StringComparer.OrdinalIgnoreCase);

    public int Calls { get; private set; }

    /// <summary>Approvers out of office within [From, Until), with the stand-in the directory proposes (null: nobody).</summary>
    public Dictionary<PersonId, Away> Absent { get; } = [];

    /// <summary>The directory does not answer at all.</summary>
    public bool Down { get; set; }

    /// <summary>The directory answers who approves but not who is out of office.</summary>
    public bool AbsencesDown { get; set; }

    public sealed record Away(DateTimeOffset From, DateTimeOffset Until, PersonId? StandIn);

    public ValueTask<ApproverAbsence?> AbsenceAsync(PersonId approver, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (Down || AbsencesDown) throw new ApproversUnavailableException();
        return ValueTask.FromResult(Absent.TryGetValue(approver, out var away) && now >= away.From && now < away.Until
            ? new ApproverAbsence("automatic replies are on", away.StandIn, "their manager", away.StandIn is null ? "they have no manager in the directory" : null)
            : null);
    }

    public static FakeDirectory Standard()
    {
        var directory = new FakeDirectory();
        directory.Managers[People.Alice] = People.Bob;
        directory.Managers[People.Bob] = People.Carol;
        directory.Groups[BuiltInFlows.LegalGroup] = [People.Lena, People.Leo, People.Lou];
        directory.Groups[BuiltInFlows.ManagementGroup] = [People.Mia, People.Max];
        return directory;
    }

    public ValueTask<ApproverResolution> ResolveAsync(ApproverRule rule, PersonId requester, CancellationToken cancellationToken)
    {
        Calls++;
        if (Down) throw new ApproversUnavailableException();
        return ValueTask.FromResult(rule.Kind switch
        {
            ApproverRuleKind.RequesterManager => Managers.TryGetValue(requester, out var manager)
                ? ApproverResolution.Found(manager)
                : ApproverResolution.CannotResolve($"{requester} has no manager in the directory"),
            ApproverRuleKind.Group => Groups.TryGetValue(rule.GroupName!, out var members)
                ? ApproverResolution.Found(members)
                : ApproverResolution.CannotResolve($"there is no group named {rule.GroupName}"),
            _ => ApproverResolution.Found(rule.PersonIds),
        });
    }
}

internal static class Requests
{
    /// <summary>Monday 5 January 2026, 10:00 UTC.</summary>
    public static readonly DateTimeOffset Monday10 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    public static StageDefinition Stage(string name, ApproverRule approvers, DecisionRule? decision = null, TimeSpan? sla = null, TimeSpan? reminderEvery = null) =>
        new(name, approvers, decision ?? DecisionRule.Any, sla ?? TimeSpan.FromHours(16), reminderEvery);

    public static ApprovalFlow Flow(params StageDefinition[] stages) => ApprovalFlow.Create("test flow", stages);

    public static Task<ApprovalRequest> Submit(ApprovalFlow flow, FakeDirectory? directory = null, IBusinessCalendar? calendar = null, DateTimeOffset? at = null) =>
        ApprovalRequest.SubmitAsync(
            new NewApprovalRequest("New laptops", "Ten laptops for the help desk", People.Alice, ApprovalSubject.Other("PO-17"),
                [new RequestLink("Quote", "https://example.com/quote.pdf")]),
            flow, directory ?? FakeDirectory.Standard(), calendar ?? AroundTheClockCalendar.Instance, at ?? Monday10);

    public static Task<DecisionResult> Approve(this ApprovalRequest request, PersonId actor, FakeDirectory? directory = null, DateTimeOffset? at = null, CardState? card = null, string? comment = null) =>
        request.ApproveAsync(actor, card ?? request.CurrentCard, comment, directory ?? FakeDirectory.Standard(), AroundTheClockCalendar.Instance, at ?? Monday10.AddHours(1));

    public static DecisionResult RejectNow(this ApprovalRequest request, PersonId actor, string? comment = "Too expensive", CardState? card = null) =>
        request.Reject(actor, card ?? request.CurrentCard, comment, Monday10.AddHours(1));

    public static DecisionResult AskForChanges(this ApprovalRequest request, PersonId actor, string? comment = "Add the warranty terms", CardState? card = null) =>
        request.RequestChanges(actor, card ?? request.CurrentCard, comment, Monday10.AddHours(1));

    public static AuditEntry LastAudit(this ApprovalRequest request) => request.AuditTrail[^1];
}
