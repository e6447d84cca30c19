using ApprovalBot.Domain.Common;
using ApprovalBot.Teams;

namespace ApprovalBot.Approvals.Api;

/// <summary>
/// What an API handler collects while it reads a request: field errors (field path → messages, the <c>errors</c> of a
/// validation problem) and people resolved from addresses (e-mail, UPN or Entra object id) through
/// <see cref="TeamsPeople.FindAsync"/>. An address nobody has is a field error naming it.
/// </summary>
internal sealed class ApiInput(TeamsPeople people)
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool HasErrors => _errors.Count > 0;

    public void Error(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>The 400 validation problem for the errors collected so far.</summary>
    public IResult Problem() => ApiResults.Validation(Errors);

    /// <summary>The person with this address; null (and a field error) when the address is missing but required, or unknown.</summary>
    public async Task<PersonId?> PersonAsync(string? address, string field, bool required, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            if (required) Error(field, $"{field} is required: an e-mail address, UPN or Entra object id.");
            return null;
        }

        var person = await people.FindAsync(address, cancellationToken);
        if (person is null)
        {
            Error(field, $"Nobody in the directory has the address '{address.Trim()}'.");
            return null;
        }

        return person.Id;
    }

    /// <summary>Every address of the list resolved; unknown ones become errors on <c>field[i]</c> and are left out.</summary>
    public async Task<List<PersonId>> PeopleAsync(IReadOnlyList<string?>? addresses, string field, CancellationToken cancellationToken)
    {
        var result = new List<PersonId>();
        for (var i = 0; i < (addresses?.Count ?? 0); i++)
        {
            if (await PersonAsync(addresses![i], $"{field}[{i}]", required: true, cancellationToken) is { } person)
                result.Add(person);
        }

        return result;
    }

    /// <summary>An enum value by name (any case); numbers are not names. Null stays null.</summary>
    public T? Enum<T>(string? value, string field)
        where T : struct, System.Enum
    {
        if (value is null) return null;
        var text = value.Trim();
        if (text.Length > 0 && !char.IsAsciiDigit(text[0]) && text[0] != '-'
            && System.Enum.TryParse<T>(text, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed))
            return parsed;
        Error(field, $"'{value}' is not one of: {string.Join(", ", System.Enum.GetNames<T>())}.");
        return null;
    }

    /// <summary>Runs a domain constructor; its <see cref="DomainException"/> becomes an error on <paramref name="field"/>.</summary>
    public T? Build<T>(string field, Func<T> build)
        where T : class
    {
        try
        {
            return build();
        }
        catch (DomainException e)
        {
            Error(field, e.Message);
            return null;
        }
    }
}

/// <summary><c>skip</c> and <c>take</c> of a list endpoint, validated.</summary>
internal static class Paging
{
    public const int DefaultTake = 50;
    public const int MaxTake = 200;

    public static (int Skip, int Take) Read(int? skip, int? take, ApiInput input)
    {
        var s = skip ?? 0;
        var t = take ?? DefaultTake;
        if (s < 0) input.Error("skip", "skip must be 0 or more.");
        if (t is < 1 or > MaxTake) input.Error("take", $"take must be between 1 and {MaxTake}.");
        return (s, t);
    }
}

/// <summary>A page of a list: the items, how many there are in all, and the skip and take that gave this page.</summary>
public sealed record PageDto<T>(IReadOnlyList<T> Items, int Total, int Skip, int Take);
