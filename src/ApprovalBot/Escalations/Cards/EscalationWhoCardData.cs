namespace ApprovalBot.Escalations.Cards;

// The data shape of cards/escalation-who.json, built by EscalationWhoModel. Every string is shown in a TextRun.

/// <summary>Data of the <c>escalation-who</c> template: whom to call about an agreement right now.</summary>
/// <param name="AgreementName">The agreement.</param>
/// <param name="Levels">L1, L2 and L3 with their contacts and the open escalations at each.</param>
/// <param name="ProviderContacts">The provider's points of contact from the communication plan (none: the card says so).</param>
/// <param name="ProviderName">The provider, when the agreement names one.</param>
/// <param name="Summary">"2 open escalations: E-41 at L3, E-42 at L1." or "No open escalations."</param>
public sealed record EscalationWhoCardData(
    string AgreementName,
    IReadOnlyList<EscalationWhoLevel> Levels,
    IReadOnlyList<EscalationWhoContact> ProviderContacts,
    string? ProviderName,
    string Summary);

/// <summary>One support level.</summary>
/// <param name="Level">"L1".</param>
/// <param name="Description">What the level is: the agreement's description, or ours ("First-line support").</param>
/// <param name="People">The contact people's names, or "nobody by name".</param>
/// <param name="Escalations">The open escalations at this level now (at most a few; <paramref name="More"/> counts the rest).</param>
/// <param name="Channel">The level's Teams channel ("IT › Support L1", or "a Teams channel" when the bot does not know its name); null for none.</param>
/// <param name="More">"and 3 more here".</param>
public sealed record EscalationWhoLevel(string Level, string Description, string People, IReadOnlyList<EscalationWhoCase> Escalations, string? Channel = null, string? More = null);

/// <summary>An open escalation at a level, with an Open button.</summary>
public sealed record EscalationWhoCase(long EscalationId, string Reference, string Priority, string Title, string State);

/// <summary>A provider's point of contact.</summary>
/// <param name="Name">Their name.</param>
/// <param name="Reach">How to reach them: "pat@fabrikam.example · +44 20 7946 0000 · in Teams".</param>
/// <param name="Role">Their role, when given.</param>
public sealed record EscalationWhoContact(string Name, string Reach, string? Role = null);
