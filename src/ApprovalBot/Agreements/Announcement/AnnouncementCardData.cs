using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Agreements.Announcement;

/// <summary>The verb of the announcement card (<c>cards/agreement-announcement.json</c>); data <see cref="AnnouncementActionData"/>.</summary>
public static class AnnouncementVerbs
{
    public const string Acknowledge = "agreement.announcement.ack";
}

/// <summary>What Acknowledge sends back: the agreement and the revision the announcement is about.</summary>
public sealed record AnnouncementActionData(long AgreementId, int Revision);

public sealed record AnnouncementSlaRow(string Priority, string Response, string Resolution, string Hours);

public sealed record AnnouncementEscalationRow(string Level, string? Description, string Contacts);

/// <summary>
/// Data of <see cref="CardTemplates.AgreementAnnouncement"/>: one announcement, the same for every reader (a channel
/// post). <see cref="CanAcknowledge"/> shows the button (while the announcement is current); <see cref="Acknowledgements"/>
/// lists who acknowledged, oldest first.
/// </summary>
public sealed record AnnouncementCardData(
    long AgreementId,
    string Name,
    string Headline,
    NoticeTone Tone,
    string Text,
    IReadOnlyList<NoticeFact> Facts,
    IReadOnlyList<AnnouncementSlaRow> ServiceLevels,
    IReadOnlyList<AnnouncementEscalationRow> Escalation,
    IReadOnlyList<NoticeFact> Plan,
    string HowToEscalate,
    IReadOnlyList<string> Acknowledgements,
    bool CanAcknowledge,
    AnnouncementActionData Action,
    string? Status = null);
