namespace ApprovalBot.Approvals;

/// <summary>Approvals: the business calendar approver SLAs run on, and where the flows come from. Section <c>Approvals</c>.</summary>
public sealed class ApprovalsOptions
{
    public const string SectionName = "Approvals";

    /// <summary>IANA time zone of the approvers' working hours (approver SLAs and reminders count business time there).</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Start of the working day (Monday to Friday), local time in <see cref="TimeZone"/>.</summary>
    public TimeSpan WorkDayStart { get; set; } = TimeSpan.FromHours(9);

    /// <summary>End of the working day, local time in <see cref="TimeZone"/>.</summary>
    public TimeSpan WorkDayEnd { get; set; } = TimeSpan.FromHours(17);

    /// <summary>Count approver SLAs around the clock instead of working hours.</summary>
    public bool TwentyFourSeven { get; set; }

    /// <summary>A JSON file with the approval flows (see docs/approvals.md); empty: the built-in agreement flow only.</summary>
    public string? FlowsFile { get; set; }

    /// <summary>Approver SLA of a request sent to named people (the <c>request</c> form without a flow), in business hours.</summary>
    public double AdHocSlaHours { get; set; } = 16;

    /// <summary>Reminder interval of such a request, in business hours (0: no reminders).</summary>
    public double AdHocReminderHours { get; set; } = 8;
}
