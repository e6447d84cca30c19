using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Breaches.Cards;

/// <summary>The verb of the incident card (<c>cards/data-breach.json</c>); data <see cref="BreachActionData"/>.</summary>
public static class BreachVerbs
{
    public const string Acknowledge = "breach.ack";
}

/// <summary>What the Acknowledge button sends back: the incident.</summary>
public sealed record BreachActionData(long BreachId);

/// <summary>One data-protection contact on the card: name and side, and what happened (notified, acknowledged, or how to reach them instead).</summary>
public sealed record BreachContactRow(string Name, string Status, bool Attention);

/// <summary>
/// Data of <see cref="CardTemplates.DataBreach"/>: one incident, one viewer's copy (<see cref="CanAcknowledge"/> shows
/// the Acknowledge button to a data-protection contact who has not acknowledged yet, while it is open).
/// </summary>
public sealed record BreachCardData(
    long BreachId,
    string Title,
    string Summary,
    NoticeTone Tone,
    string Status,
    IReadOnlyList<NoticeFact> Facts,
    IReadOnlyList<BreachContactRow> Contacts,
    bool CanAcknowledge,
    BreachActionData Action,
    string? Error = null,
    string? Notice = null);
