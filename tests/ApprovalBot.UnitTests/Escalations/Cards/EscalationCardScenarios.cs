using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Escalations.Cards;
using ApprovalBot.UnitTests.Approvals.Cards;
using ApprovalBot.UnitTests.Domain.Approvals;
using static ApprovalBot.UnitTests.Domain.Escalations.EscalationSamples;

namespace ApprovalBot.UnitTests.Escalations.Cards;

/// <summary>
/// Real escalations, driven through the domain API: P2 (response 1 h, resolution 8 h of business time, Berlin
/// Monday to Friday 09:00–17:00), opened by Bob on Monday 5 January 2026 at 09:00 in Berlin. L1 is a channel (Lou is
/// a member), L2 is Leo, L3 is Mia and a channel.
/// </summary>
internal static class EscalationCardScenarios
{
    public static readonly TimeZoneInfo Berlin = ApprovalScenarios.Berlin;

    public static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    /// <summary>Open at L1 since 09:00.</summary>
    public static Escalation OpenAtL1() => Open();

    /// <summary>Acknowledged by Lou (L1 channel) at 09:20 and assigned to Dan at 09:30.</summary>
    public static Escalation Acknowledged()
    {
        var escalation = Open();
        escalation.Acknowledge(L1Member, Mon(9, 20));
        escalation.Assign(L1Member, Agent, Mon(9, 30));
        return escalation;
    }

    /// <summary>Acknowledged, then put on hold by Dan at 11:00.</summary>
    public static Escalation OnHold()
    {
        var escalation = Acknowledged();
        escalation.Hold(Agent, "Waiting for the customer's mail logs.", Mon(11));
        return escalation;
    }

    /// <summary>Put on hold by Bob at 09:30 before anyone acknowledged: it may still be acknowledged.</summary>
    public static Escalation OnHoldWhileOpen()
    {
        var escalation = Open();
        escalation.Hold(Reporter, "Checking whether it is our firewall first.", Mon(9, 30));
        return escalation;
    }

    /// <summary>L1 did not acknowledge within the hour: raised to L2 (Leo) at 10:00.</summary>
    public static Escalation RaisedToL2()
    {
        var escalation = Open();
        Assert.True(escalation.FireDue(escalation.Version, Mon(10)).Applied);
        return escalation;
    }

    /// <summary>Escalated by hand to L2 and then L3 (by Bob at 09:10 and 09:15).</summary>
    public static Escalation AtL3()
    {
        var escalation = Open();
        escalation.EscalateManually(Reporter, "The whole office is offline.", Mon(9, 10));
        escalation.EscalateManually(Reporter, "Leo is on holiday.", Mon(9, 15));
        return escalation;
    }

    /// <summary>Acknowledged; the 50 % (13:00) and 75 % (15:00) warnings were sent.</summary>
    public static Escalation At75Percent()
    {
        var escalation = Acknowledged();
        Assert.True(escalation.FireDue(escalation.Version, Mon(15)).Applied);
        return escalation;
    }

    /// <summary>Acknowledged; the resolution target passed at 17:00 (raised to L3).</summary>
    public static Escalation Breached()
    {
        var escalation = Acknowledged();
        Assert.True(escalation.FireDue(escalation.Version, Mon(17)).Applied);
        return escalation;
    }

    /// <summary>Acknowledged and resolved by Dan at 14:00.</summary>
    public static Escalation Resolved()
    {
        var escalation = Acknowledged();
        escalation.Resolve(Agent, "Replaced the failed disk in the mail server; mail flows again.", Mon(14));
        return escalation;
    }

    public static EscalationCardContext Context(
        Escalation escalation,
        PersonId? viewer,
        bool mayAct,
        DateTimeOffset now,
        TimeZoneInfo? timeZone = null,
        IReadOnlyList<string>? refreshUserIds = null,
        string? headline = null,
        string? error = null,
        string? notice = null) =>
        new(escalation, viewer, mayAct, p => ApprovalScenarios.Names.TryGetValue(p, out var name) ? name : p.Value, timeZone ?? Berlin, now,
            refreshUserIds ?? [ApprovalScenarios.UserId(People.Lou), ApprovalScenarios.UserId(Reporter)], headline, error, notice);
}
