using System.Globalization;
using System.Text.Json.Nodes;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Outbox;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Agreements.Signing;

/// <summary>
/// The signing cards, staged in the outbox with the change that causes them (rule 13): one card to each signatory
/// (1:1) when an agreement starts awaiting signatures, and an in-place update of every copy after each signature, the
/// activation, or a document change that makes the cards stale. Dedupe keys name the agreement, the revision and the
/// signatory, so a retried use case stages each card once.
/// </summary>
public sealed partial class SigningMessages(BotDbContext db, Outbox outbox, TeamsPeople people, CardRenderer cards, ILogger<SigningMessages> logger)
{
    public static string Subject(long agreementId) => string.Create(CultureInfo.InvariantCulture, $"agreement-signing:{agreementId}");

    /// <summary>
    /// The signing card as <paramref name="viewer"/> sees it; <paramref name="revision"/> is the revision the copy was
    /// sent for (a copy of an earlier revision shows that it is out of date).
    /// </summary>
    public async Task<JsonObject> CardAsync(Agreement agreement, PersonId? viewer, int revision, CancellationToken cancellationToken, string? error = null, string? notice = null)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var round = agreement.Revisions.Single(r => r.Number == revision);
        var events = agreement.SigningEvents.Where(e => e.Kind == SigningEventKind.Signature && e.Revision == revision).ToList();
        var current = agreement.Status == AgreementStatus.AwaitingSignatures && agreement.CurrentRevision.Number == revision;
        var signatories = current ? agreement.Signatories ?? [] : events.Select(e => e.Signer).ToList();
        var (sha256, source, documentName) = current
            ? (agreement.SigningHash!, agreement.SigningHashSource!.Value, agreement.SigningDocumentName)
            : events.Count > 0 ? (events[0].Sha256, round.Documents.Any(d => d.Kind == DocumentKind.FinalContract && d.Sha256 == events[0].Sha256) ? SigningHashSource.FinalContract : SigningHashSource.Terms, round.Documents.FirstOrDefault(d => d.Kind == DocumentKind.FinalContract)?.FileName)
            : AgreementSigning.HashOf(round);
        var names = await people.NamesAsync([.. signatories, .. events.Select(e => e.Signer)], cancellationToken);
        var lines = signatories.Select(p => events.FirstOrDefault(e => e.Signer == p) is { } signed
            ? new SignatoryLine(names(p), $"signed {signed.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC as \u201c{signed.TypedName}\u201d")
            : new SignatoryLine(names(p), "not signed yet")).ToList();

        var facts = new List<NoticeFact> { new("Revision", revision.ToString(CultureInfo.InvariantCulture)) };
        if (round.Terms.ProviderName is { } provider) facts.Add(new NoticeFact("Provider", provider));
        if (round.Terms.StartDate is { } start && round.Terms.EndDate is { } end) facts.Add(new NoticeFact("Term", $"{TermDates.Format(start)} to {TermDates.Format(end)}"));
        var hashOf = source == SigningHashSource.FinalContract
            ? $"SHA-256 of the final contract \u201c{documentName}\u201d"
            : "SHA-256 of the revision's terms as canonical JSON (the revision has no final contract document)";

        string? joinUrl = null;
        if (current && await MeetingAsync(agreement.Id, cancellationToken) is { } meeting && meeting.Revision == revision)
        {
            facts.Add(new NoticeFact("Signing meeting", $"{meeting.FormatStart()}, {SigningMeeting.FormatSpan(meeting.Duration)}"));
            if (meeting.Notes is { } notes) facts.Add(new NoticeFact("Place and notes", notes));
            joinUrl = meeting.JoinUrl;
        }

        var (text, tone) = Describe(agreement, revision, current, events.Count, signatories.Count);
        var canSign = current && viewer is { } v && signatories.Contains(v) && !events.Any(e => e.Signer == v);
        return cards.Render(CardTemplates.AgreementSigning, new SigningCardData(
            agreement.Id, agreement.Name, tone, text, facts, hashOf, sha256, lines, canSign,
            new SigningActionData(agreement.Id, revision, sha256), error, notice, joinUrl));
    }

    /// <summary>
    /// The agreement's scheduled signing meeting, if any: the one this unit of work tracks (changed and not yet saved)
    /// first, else the stored one.
    /// </summary>
    private async Task<SigningMeeting?> MeetingAsync(long agreementId, CancellationToken cancellationToken)
    {
        var tracked = db.SigningMeetings.Local.Where(m => m.AgreementId == agreementId).OrderByDescending(m => m.ScheduledAt).FirstOrDefault();
        if (tracked is not null) return tracked.State == SigningMeetingState.Scheduled ? tracked : null;
        return await db.SigningMeetings.AsNoTracking()
            .Where(m => m.AgreementId == agreementId && m.State == SigningMeetingState.Scheduled)
            .OrderByDescending(m => m.Id).FirstOrDefaultAsync(cancellationToken);
    }

    private static (string Text, NoticeTone Tone) Describe(Agreement agreement, int revision, bool current, int signed, int needed)
    {
        if (current)
            return (string.Create(CultureInfo.InvariantCulture,
                $"Approved, awaiting signatures: {signed} of {needed} signed. Each signatory signs by typing their full name; when the last signature is in, the agreement becomes Active. This is an electronic acceptance record bound to the hash below, not a qualified electronic signature."), NoticeTone.Warning);
        if (agreement.Status == AgreementStatus.Active && agreement.ActiveRevisionNumber == revision)
            return ($"Signed by every signatory: {agreement.Name} is Active.", NoticeTone.Good);
        if (agreement.CurrentRevision.Number != revision)
            return (string.Create(CultureInfo.InvariantCulture,
                $"Out of date: the document changed, so revision {agreement.CurrentRevision.Number} replaced this one and goes through approval again. The signatures on this card no longer count; sign on the new card when it reaches you."), NoticeTone.Attention);
        return ($"{agreement.Name} is {agreement.Status}; it does not await signatures.", NoticeTone.Default);
    }

    /// <summary>Stages the signing card for each signatory. Call before saving, after the agreement started awaiting signatures.</summary>
    public async Task StageSigningCardsAsync(Agreement agreement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var revision = agreement.CurrentRevision.Number;
        foreach (var person in agreement.Signatories ?? [])
        {
            var reach = await people.ReachAsync(person, cancellationToken);
            if (reach is Reach.Unreachable unreachable)
            {
                LogUnreachable(logger, agreement.Id, person.Value, unreachable.Why);
                continue;
            }
            var card = await CardAsync(agreement, person, revision, cancellationToken);
            var key = string.Create(CultureInfo.InvariantCulture, $"{Subject(agreement.Id)}:r{revision}:to:{person.Value}");
            await outbox.SendAsync(reach, CardActivities.ToMessage(card), key, cancellationToken, Subject(agreement.Id), Viewer(person, revision));
        }
    }

    /// <summary>
    /// Updates every posted copy of the agreement's signing cards, each for its reader and its revision. Call before
    /// saving. <paramref name="versionSuffix"/> tells apart updates for a change that leaves the agreement's version as it
    /// is (its signing meeting).
    /// </summary>
    public Task UpdateCopiesAsync(Agreement agreement, CancellationToken cancellationToken, string? versionSuffix = null)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        return outbox.UpdateCardCopiesAsync(Subject(agreement.Id),
            (viewer, ct) =>
            {
                var (person, revision) = ParseViewer(viewer, agreement.CurrentRevision.Number);
                return CardAsync(agreement, person, revision, ct);
            },
            string.Create(CultureInfo.InvariantCulture, $"v{agreement.Version}{versionSuffix}"), cancellationToken);
    }

    /// <summary>A copy's viewer: the signatory and the revision it was sent for ("3|aad-object-id").</summary>
    private static string Viewer(PersonId person, int revision) => string.Create(CultureInfo.InvariantCulture, $"{revision}|{person.Value}");

    private static (PersonId? Person, int Revision) ParseViewer(string? viewer, int fallbackRevision)
    {
        if (viewer is null) return (null, fallbackRevision);
        var bar = viewer.IndexOf('|', StringComparison.Ordinal);
        return bar > 0 && int.TryParse(viewer.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? (new PersonId(viewer[(bar + 1)..]), revision)
            : (new PersonId(viewer), fallbackRevision);
    }

    [LoggerMessage(EventId = 4863, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: cannot reach signatory {Person} with the signing card: {Why}")]
    private static partial void LogUnreachable(ILogger logger, long agreementId, string person, string why);
}
