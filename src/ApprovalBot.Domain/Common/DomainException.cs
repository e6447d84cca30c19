namespace ApprovalBot.Domain.Common;

/// <summary>
/// A rule of the domain said no: an illegal transition, an invalid value, an incomplete submission.
/// <see cref="Code"/> is stable (callers map it to a message or an HTTP problem type); the message is for people.
/// Nothing changed on the aggregate that threw.
/// </summary>
public class DomainException : Exception
{
    public DomainException()
        : this("domain.error", "A domain rule was violated.")
    {
    }

    public DomainException(string message)
        : this("domain.error", message)
    {
    }

    public DomainException(string message, Exception innerException)
        : base(message, innerException) => Code = "domain.error";

    public DomainException(string code, string message)
        : base(message) => Code = code;

    /// <summary>A stable, dotted identifier of the rule, e.g. <c>agreement.transition</c>.</summary>
    public string Code { get; } = "domain.error";
}
