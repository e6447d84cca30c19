using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Agreements;

/// <summary>
/// A service outside the regular scope with its own price (product.md §1, "additional services and their costs"), for
/// example "On-site visit" at 150. The price is in the currency of the agreement's <see cref="Pricing"/>.
/// </summary>
public sealed record AdditionalService
{
    public const int MaxNameLength = 200;

    public AdditionalService(string name, decimal price)
    {
        Name = Guard.RequiredText(name, "The additional service's name", MaxNameLength);
        Guard.That(price >= 0, "agreement.invalid", $"{Name}: a price cannot be negative.");
        Price = price;
    }

    public string Name { get; }

    public decimal Price { get; }
}

/// <summary>
/// Who is responsible for what around the hardware and software in scope: a short list of duties for each party, one
/// sentence each ("Keep the device inventory current", "Install security patches within 14 days"). A draft may leave a
/// side empty; <see cref="AgreementTerms.Problems"/> asks for both before submission.
/// </summary>
public sealed record Responsibilities
{
    public const int MaxItems = 20;

    public const int MaxItemLength = 500;

    public Responsibilities(IEnumerable<string>? ours, IEnumerable<string>? provider)
    {
        Ours = Items(ours, "our side");
        Provider = Items(provider, "the provider");
    }

    /// <summary>Our organisation's duties.</summary>
    public IReadOnlyList<string> Ours { get; }

    /// <summary>The provider's duties.</summary>
    public IReadOnlyList<string> Provider { get; }

    private static System.Collections.ObjectModel.ReadOnlyCollection<string> Items(IEnumerable<string>? items, string party)
    {
        var list = new List<string>();
        foreach (var item in items ?? [])
        {
            var text = Guard.RequiredText(item, $"A responsibility of {party}", MaxItemLength);
            Guard.That(!list.Contains(text, StringComparer.OrdinalIgnoreCase), "value.duplicate", $"A responsibility of {party} is listed twice: {text}");
            list.Add(text);
        }

        Guard.That(list.Count <= MaxItems, "agreement.invalid", $"List at most {MaxItems} responsibilities for {party}.");
        return list.AsReadOnly();
    }
}
