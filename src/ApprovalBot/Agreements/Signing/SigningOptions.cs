namespace ApprovalBot.Agreements.Signing;

/// <summary>
/// Who signs an agreement after its final approval, per approval flow (section <c>Agreements:Signing</c>). A flow
/// with no entry (or an empty list) activates the agreement at final approval, as before.
/// </summary>
public sealed class SigningOptions
{
    public const string SectionName = "Agreements:Signing";

    /// <summary>The provider's signatory (see <see cref="Signatories"/>).</summary>
    public const string Provider = "provider";

    /// <summary>
    /// Flow name (any case) → its signatories, entries separated by <c>;</c>, each <c>people:&lt;id or UPN or e-mail&gt;,…</c> (named people),
    /// <c>group:&lt;name&gt;</c> (every member of a directory group) or <c>provider</c> (the provider's signatory: the
    /// provider contact of the agreement's communication plan whose role mentions "signatory", else its first
    /// provider contact reachable in Teams).
    /// </summary>
    public Dictionary<string, string> Signatories { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The signing meeting (section <c>Agreements:Signing:Meeting</c>).</summary>
    public SigningMeetingOptions Meeting { get; set; } = new();

    /// <summary>The entries configured for <paramref name="flowName"/> (empty: no signing on that flow).</summary>
    public IReadOnlyList<string> For(string? flowName) =>
        flowName is not null && Signatories.FirstOrDefault(f => string.Equals(f.Key.Trim(), flowName.Trim(), StringComparison.OrdinalIgnoreCase)).Value is { } list
            ? Entries(list)
            : [];

    private static string[] Entries(string? list) => (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Whether every entry is <c>provider</c>, <c>group:&lt;name&gt;</c> or <c>people:&lt;someone&gt;,…</c>.</summary>
    public bool EntriesAreValid() => Signatories.All(f => !string.IsNullOrWhiteSpace(f.Key) && Entries(f.Value).All(IsValid));

    private static bool IsValid(string? entry)
    {
        var e = (entry ?? "").Trim();
        if (e.Equals(Provider, StringComparison.OrdinalIgnoreCase)) return true;
        if (e.StartsWith("group:", StringComparison.OrdinalIgnoreCase)) return e[6..].Trim().Length > 0;
        return e.StartsWith("people:", StringComparison.OrdinalIgnoreCase)
            && e[7..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length > 0;
    }
}
