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

    /// <summary>Out-of-office delegation when a stage starts (section <c>Approvals:OutOfOffice</c>).</summary>
    public OutOfOfficeOptions OutOfOffice { get; set; } = new();
}

/// <summary>
/// Out-of-office delegation: when a stage starts and an approver's automatic replies are on, their seat goes to their
/// configured delegate, else to their manager in the directory. Section <c>Approvals:OutOfOffice</c>.
/// </summary>
public sealed class OutOfOfficeOptions
{
    /// <summary>Look at approvers' automatic replies when a stage starts; false: seats always stay with the approver.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Approver → delegate while the approver is out of office, each an e-mail address, UPN or Entra object id (any
    /// case). Approvers not listed go to their manager.
    /// </summary>
    public Dictionary<string, string> Delegates { get; set; } = [];

    /// <summary>The delegate configured for a person known by any of <paramref name="keys"/>, or null.</summary>
    public string? DelegateOf(params IEnumerable<string?> keys)
    {
        foreach (var key in keys)
        {
            if (string.IsNullOrWhiteSpace(key)) continue;
            foreach (var (approver, standIn) in Delegates)
            {
                if (string.Equals(approver.Trim(), key.Trim(), StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(standIn))
                    return standIn.Trim();
            }
        }
        return null;
    }

    /// <summary>Entries with an empty side, or naming the same person on both sides.</summary>
    public bool DelegatesAreValid() => Delegates.All(d =>
        !string.IsNullOrWhiteSpace(d.Key) && !string.IsNullOrWhiteSpace(d.Value) && !string.Equals(d.Key.Trim(), d.Value.Trim(), StringComparison.OrdinalIgnoreCase));
}
