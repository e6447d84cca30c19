namespace ApprovalBot.Domain.Common;

/// <summary>Small argument checks that throw <see cref="DomainException"/> with a field-specific message.</summary>
internal static class Guard
{
    public static string RequiredText(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new DomainException("value.required", $"{field} is required.");
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
            throw new DomainException("value.too_long", $"{field} must be at most {maxLength} characters.");
        return trimmed;
    }

    public static string? OptionalText(string? value, string field, int maxLength) =>
        string.IsNullOrWhiteSpace(value) ? null : RequiredText(value, field, maxLength);

    /// <summary>Refuses <c>default(PersonId)</c>, which carries no id.</summary>
    public static PersonId Person(PersonId person, string field)
    {
        if (person.Value is null) throw new DomainException("value.required", $"{field} is required.");
        return person;
    }

    public static void That(bool condition, string code, string message)
    {
        if (!condition) throw new DomainException(code, message);
    }

    /// <summary>Copies into a read-only list, refusing duplicates (by the type's own equality).</summary>
    public static IReadOnlyList<T> DistinctList<T>(IEnumerable<T>? items, string field)
    {
        var list = (items ?? []).ToList();
        if (list.Distinct().Count() != list.Count)
            throw new DomainException("value.duplicate", $"{field} contains a duplicate.");
        return list.AsReadOnly();
    }
}
