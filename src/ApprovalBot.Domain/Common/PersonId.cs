namespace ApprovalBot.Domain.Common;

/// <summary>
/// A person as the directory knows them (an Entra object id in production, a mock user id in the Playground).
/// Compared without regard to case: directory ids and UPNs are case-insensitive.
/// </summary>
public readonly record struct PersonId
{
    public const int MaxLength = 200;

    public PersonId(string value) => Value = Guard.RequiredText(value, "A person id", MaxLength);

    public string Value { get; }

    public bool Equals(PersonId other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    public override int GetHashCode() => Value is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    public override string ToString() => Value ?? string.Empty;
}
