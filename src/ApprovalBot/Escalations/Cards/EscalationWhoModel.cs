using System.Globalization;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;

namespace ApprovalBot.Escalations.Cards;

/// <summary>
/// Builds the "who to call" card of an agreement: the contacts of L1–L3 as the agreement now names them (its terms in
/// force), the open escalations marked at the level each is at, and the provider's points of contact from the
/// communication plan.
/// </summary>
public static class EscalationWhoModel
{
    /// <summary>Most escalations listed under one level; the rest are counted.</summary>
    public const int MaxPerLevel = 5;

    private const int NameLength = 60;
    private const int TitleLength = 100;
    private const int MaxPeople = 10;

    /// <param name="agreement">An Active agreement.</param>
    /// <param name="open">Its active escalations, most urgent first.</param>
    /// <param name="nameOf">Display names of people.</param>
    /// <param name="channelName">The name of a Teams channel by id, when the bot knows it.</param>
    public static EscalationWhoCardData Build(Agreement agreement, IReadOnlyList<Escalation> open, Func<PersonId, string> nameOf, Func<string, string?> channelName)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(nameOf);
        ArgumentNullException.ThrowIfNull(channelName);
        var terms = agreement.TermsInForce ?? agreement.Terms;
        string Name(PersonId person) => Shorten(string.IsNullOrWhiteSpace(nameOf(person)) ? person.Value : nameOf(person), NameLength);

        var levels = Enum.GetValues<SupportLevel>().Select(level =>
        {
            var defined = terms.Escalation?.Levels.FirstOrDefault(l => l.Level == level);
            var here = open.Where(e => e.Level == level).ToList();
            var people = defined?.Contacts.People ?? [];
            var names = people.Take(MaxPeople).Select(Name).ToList();
            if (people.Count > MaxPeople) names.Add(Invariant($"{people.Count - MaxPeople} others"));
            var channel = defined?.Contacts.ChannelId is { } id ? Shorten(channelName(id) ?? "a Teams channel", NameLength * 2) : null;
            return new EscalationWhoLevel(
                level.ToString(),
                Shorten(defined?.Description is { Length: > 0 } d ? d : DefaultDescription(level), NameLength * 2),
                names.Count > 0 ? ApprovalCardModel.JoinNames(names) : "nobody by name",
                [.. here.Take(MaxPerLevel).Select(e => new EscalationWhoCase(
                    e.Id, EscalationCardModel.Reference(e.Id), e.Priority.ToString(), Shorten(e.Title, TitleLength), e.State == EscalationState.OnHold ? "On hold" : e.State.ToString()))],
                channel,
                here.Count > MaxPerLevel ? Invariant($"and {here.Count - MaxPerLevel} more here") : null);
        }).ToList();

        var providers = (terms.CommunicationPlan?.ProviderContacts ?? []).Take(10).Select(c => new EscalationWhoContact(
            Shorten(c.Name, NameLength),
            Shorten(string.Join(" · ", new[] { c.Email, c.Phone, c.Person is { } p ? "in Teams: " + Name(p) : null }.OfType<string>()), NameLength * 3),
            c.Role is null ? null : Shorten(c.Role, NameLength * 2))).ToList();

        var summary = open.Count == 0
            ? "No open escalations."
            : (open.Count == 1 ? "1 open escalation: " : Invariant($"{open.Count} open escalations: "))
              + string.Join(", ", open.Take(MaxPerLevel * 3).Select(e => $"{EscalationCardModel.Reference(e.Id)} at {e.Level}"))
              + (open.Count > MaxPerLevel * 3 ? ", …" : string.Empty) + ".";

        return new EscalationWhoCardData(
            Shorten(agreement.Name, NameLength * 2), levels, providers,
            terms.ProviderName is { Length: > 0 } provider ? Shorten(provider, NameLength * 2) : null,
            summary);
    }

    internal static string DefaultDescription(SupportLevel level) => level switch
    {
        SupportLevel.L1 => "First-line support",
        SupportLevel.L2 => "Technical support",
        _ => "Management support",
    };

    private static string Shorten(string text, int max) => ApprovalCardModel.Shorten(text.Trim(), max);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
