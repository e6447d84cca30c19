namespace ApprovalBot.Domain.Calendars;

/// <summary>A business calendar cannot be built or cannot answer (for example no business time within the horizon).</summary>
public class BusinessCalendarException : Exception
{
    public BusinessCalendarException()
    {
    }

    public BusinessCalendarException(string message)
        : base(message)
    {
    }

    public BusinessCalendarException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A <see cref="BusinessCalendarDefinition"/> was rejected; <see cref="Problems"/> lists everything wrong with it at once.</summary>
public sealed class InvalidBusinessCalendarException : BusinessCalendarException
{
    public InvalidBusinessCalendarException()
        : this([])
    {
    }

    public InvalidBusinessCalendarException(string message)
        : base(message)
    {
        Problems = [message];
    }

    public InvalidBusinessCalendarException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public InvalidBusinessCalendarException(IReadOnlyList<string> problems)
        : base(Describe(problems))
    {
        Problems = [.. problems];
    }

    /// <summary>Each problem, a sentence each, in the order <see cref="BusinessCalendarDefinition.Validate"/> found them.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Describe(IReadOnlyList<string> problems) =>
        problems.Count == 0
            ? "The business calendar is invalid."
            : "The business calendar is invalid:" + string.Concat(problems.Select(p => "\n- " + p));
}
