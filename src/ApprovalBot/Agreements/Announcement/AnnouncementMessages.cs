using System.Globalization;
using System.Text.Json.Nodes;
using ApprovalBot.Agreements.Cards;
using ApprovalBot.Agreements.Term;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Cards;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Agreements.Announcement;

/// <summary>
/// The announcement of an agreement's term coming into force, staged in the outbox with the decision that causes it
/// (rule 13): one card per configured department channel the bot is installed in (a shared copy, the same for every
/// reader), the channels it could not reach recorded with why, and the requester and oversight owners told once about
/// those. Every copy is updated in place when someone acknowledges it, when a renewal supersedes it and when the
/// agreement ends.
/// </summary>
public sealed partial class AnnouncementMessages(
    BotDbContext db, global::ApprovalBot.Teams.Outbox.Outbox outbox, TeamsPeople people, CardRenderer cards, TermClock clock,
    IOptions<AnnouncementOptions> options, ILogger<AnnouncementMessages> logger)
{
    public static string Subject(long agreementId, int revision) =>
        string.Create(CultureInfo.InvariantCulture, $"agreement-announcement:{agreementId}:r{revision}");

    /// <summary>
    /// Announces the terms in force of <paramref name="agreement"/> (just activated or renewed) to the configured
    /// channels; <paramref name="requester"/> (who asked for the approval) is told, with the owners, about channels not
    /// reached. Once per (agreement, revision): a retried decision stages nothing new. Call before saving.
    /// </summary>
    public async Task<AgreementAnnouncement?> StageAsync(Agreement agreement, PersonId? requester, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var channels = options.Value.EffectiveChannels();
        if (agreement.Status != AgreementStatus.Active || agreement.ActiveRevisionNumber is not { } revision || channels.Count == 0) return null;
        if (db.AgreementAnnouncements.Local.Any(a => a.AgreementId == agreement.Id && a.Revision == revision)
            || await db.AgreementAnnouncements.AnyAsync(a => a.AgreementId == agreement.Id && a.Revision == revision, cancellationToken))
            return null;

        var announcement = AgreementAnnouncement.Create(agreement.Id, revision, agreement.IsRenewalRevision(revision), clock.Now);
        var reached = new List<ConversationReference>();
        foreach (var channel in channels)
        {
            var id = channel.ChannelId!.Trim();
            var (reference, why) = await FindChannelAsync(id, cancellationToken);
            announcement.AddChannel(channel.Department!.Trim(), id, why);
            if (reference is not null) reached.Add(reference);
            else LogNotReached(logger, agreement.Id, channel.Department!, id, why!);
        }
        db.AgreementAnnouncements.Add(announcement);

        var subject = Subject(agreement.Id, revision);
        var card = await CardAsync(agreement, announcement, cancellationToken);
        foreach (var reference in reached)
        {
            await outbox.SendAsync(reference, CardActivities.ToMessage(card),
                $"{subject}:channel:{ApprovalBot.Teams.Outbox.Outbox.Hash(reference.ConversationId)}", cancellationToken, subject);
        }

        // An earlier term's announcement is history now: its copies say so and lose the button.
        var earlier = await db.AgreementAnnouncements.Where(a => a.AgreementId == agreement.Id && a.Revision != revision).ToListAsync(cancellationToken);
        foreach (var old in earlier) await UpdateCopiesAsync(agreement, old, $"superseded:r{revision}", cancellationToken);

        var missed = announcement.Channels.Where(c => !c.Reached).ToList();
        if (missed.Count > 0) await TellNotReachedAsync(agreement, requester, subject, missed, cancellationToken);
        return announcement;
    }

    /// <summary>Updates every copy of every announcement of <paramref name="agreement"/> (it ended: the buttons go). Call before saving.</summary>
    public async Task UpdateAllCopiesAsync(Agreement agreement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var announcements = await db.AgreementAnnouncements.Where(a => a.AgreementId == agreement.Id).ToListAsync(cancellationToken);
        foreach (var announcement in announcements)
            await UpdateCopiesAsync(agreement, announcement, string.Create(CultureInfo.InvariantCulture, $"v{agreement.Version}"), cancellationToken);
    }

    /// <summary>Updates every posted copy of <paramref name="announcement"/>'s card. Call before saving.</summary>
    public async Task UpdateCopiesAsync(Agreement agreement, AgreementAnnouncement announcement, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        var card = await CardAsync(agreement, announcement, cancellationToken);
        await outbox.UpdateCardCopiesAsync(Subject(announcement.AgreementId, announcement.Revision), card, version, cancellationToken);
    }

    /// <summary>
    /// Why <paramref name="announcement"/> can no longer be acknowledged, or null while it is current: the agreement
    /// ended, or a renewal's announcement superseded it.
    /// </summary>
    public string? StaleReason(Agreement agreement, AgreementAnnouncement announcement)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(announcement);
        if (agreement.Status != AgreementStatus.Active)
            return $"{agreement.Name} {agreement.EndedDescription(clock.Zone)}: this announcement is kept for the record only.";
        if (agreement.ActiveRevisionNumber != announcement.Revision)
            return string.Create(CultureInfo.InvariantCulture,
                $"Superseded: {agreement.Name} was renewed and its next term (revision {agreement.ActiveRevisionNumber}) is in force; it was announced separately.");
        return null;
    }

    /// <summary>The announcement card: the key terms of the announced revision, who acknowledged it, and Acknowledge while it is current.</summary>
    public async Task<JsonObject> CardAsync(Agreement agreement, AgreementAnnouncement announcement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(announcement);
        var terms = agreement.Revisions.Single(r => r.Number == announcement.Revision).Terms;
        var plan = terms.CommunicationPlan;
        var everyone = terms.OversightOwners
            .Concat((terms.Escalation?.Levels ?? []).SelectMany(l => l.Contacts.People))
            .Concat(announcement.Acknowledgements.Select(a => a.By))
            .Concat(plan?.UpdatesGoTo.Person is { } p ? [p] : []);
        var nameOf = await people.NamesAsync(everyone.Distinct(), cancellationToken);

        var term = terms.StartDate is { } start && terms.EndDate is { } end ? $"{TermDates.Format(start)} to {TermDates.Format(end)}" : null;
        var facts = new List<NoticeFact>();
        if (terms.ProviderName is { } provider) facts.Add(new NoticeFact("Provider", provider));
        if (terms.Services is { } services)
            facts.Add(new NoticeFact("Services", string.Join(", ", services.Kinds.Select(k => k == ServiceKind.Other && services.OtherDescription is { } other ? $"Other: {other}" : AgreementCards.ServiceText(k)))));
        if (terms.Coverage is { } coverage) facts.Add(new NoticeFact("Covers", AgreementCards.CoverageText(coverage)));
        if (term is not null) facts.Add(new NoticeFact("Term", term));
        if (terms.OversightOwners.Count > 0) facts.Add(new NoticeFact("Oversight", string.Join(", ", terms.OversightOwners.Select(nameOf))));

        var planFacts = new List<NoticeFact>();
        if (plan is not null)
        {
            var to = plan.UpdatesGoTo.Kind == UpdateDestinationKind.Channel ? "a Teams channel" : plan.UpdatesGoTo.Person is { } person ? nameOf(person) : "a person";
            planFacts.Add(new NoticeFact("Provider updates", $"{plan.UpdateCadence.Cron} ({plan.UpdateCadence.TimeZoneId}), to {to}"));
            planFacts.Add(new NoticeFact("Our contacts", Contacts(plan.OurContacts, nameOf)));
            planFacts.Add(new NoticeFact("Provider contacts", Contacts(plan.ProviderContacts, nameOf)));
            if (plan.ReviewCadence is { } review) planFacts.Add(new NoticeFact("Reviews", $"{review.Cron} ({review.TimeZoneId})"));
        }

        var zone = clock.Zone;
        var acknowledgements = announcement.Acknowledgements.OrderBy(a => a.At)
            .Select(a => $"{nameOf(a.By)} ({a.Department}), {ApprovalCardModel.FormatTime(a.At, zone)}").ToList();
        var stale = StaleReason(agreement, announcement);
        var text = announcement.IsRenewal
            ? string.Create(CultureInfo.InvariantCulture, $"{agreement.Name} is renewed: its next term{(term is null ? "" : $", {term},")} is in force (revision {announcement.Revision}). Read the key terms below and acknowledge for your department.")
            : $"{agreement.Name} is in force{(term is null ? "" : $" from {term}")}. Read the key terms below and acknowledge for your department.";
        return cards.Render(CardTemplates.AgreementAnnouncement, new AnnouncementCardData(
            agreement.Id,
            agreement.Name,
            announcement.IsRenewal ? "Agreement renewed" : "New agreement in force",
            stale is null ? NoticeTone.Good : NoticeTone.Default,
            text,
            facts,
            [.. (terms.ServiceLevels?.Targets ?? []).Select(t => new AnnouncementSlaRow(t.Priority.ToString(), AgreementCards.Duration(t.Response), AgreementCards.Duration(t.Resolution), t.AroundTheClock ? "24×7" : "Business hours"))],
            [.. (terms.Escalation?.Levels ?? []).Select(l => new AnnouncementEscalationRow(l.Level.ToString(), l.Description,
                string.Join(", ", l.Contacts.People.Select(nameOf).Concat(l.Contacts.ChannelId is null ? [] : ["Teams channel"]))))],
            planFacts,
            $"escalate {agreement.Name} P1 <title>",
            acknowledgements,
            stale is null,
            new AnnouncementActionData(agreement.Id, announcement.Revision),
            stale));
    }

    /// <summary>
    /// The stored, reachable reference of a channel: one the bot heard from, or one listed from the channels of a team it
    /// was added to (Teams/TeamChannels.cs) — the bot may post to any channel of its teams. Else why not.
    /// </summary>
    private async Task<(ConversationReference? Reference, string? Why)> FindChannelAsync(string channelId, CancellationToken cancellationToken)
    {
        var references = await db.ConversationReferences
            .Where(r => r.TeamsChannelId == channelId || r.ConversationId == channelId)
            .OrderByDescending(r => r.UpdatedAt).ToListAsync(cancellationToken);
        if (references.FirstOrDefault(r => r.IsReachable) is { } reachable) return (reachable, null);
        if (references.Count > 0)
            return (null, $"the bot can no longer post there ({references[0].UnreachableReason ?? "no longer reachable"})");
        return (null, "the bot is not installed in that channel's team (no team the bot was added to lists that channel)");
    }

    private async Task TellNotReachedAsync(Agreement agreement, PersonId? requester, string subject, List<AnnouncementChannel> missed, CancellationToken cancellationToken)
    {
        var where = string.Join("; ", missed.Select(c => $"{c.Department} ({c.ChannelId}): {c.NotReachedReason}"));
        var text = string.Create(CultureInfo.InvariantCulture,
            $"The announcement of {agreement.Name} could not be posted to {missed.Count} of the departments' channels: {where}. Add the bot to those teams, then announce by hand; GET /api/v1/agreements/{agreement.Id}/announcement shows where it went and who acknowledged it.");
        var card = cards.Render(CardTemplates.Notice, new NoticeCardData($"Announcement not delivered everywhere: {agreement.Name}", text, NoticeTone.Warning));
        var told = TermMessages.Owners(agreement).Concat(requester is { } r ? [r] : []).Distinct();
        foreach (var person in told)
        {
            var reach = await people.ReachAsync(person, cancellationToken);
            if (reach is Reach.Unreachable) continue;
            await outbox.SendAsync(reach, CardActivities.ToMessage(card), $"{subject}:not-reached:to:{person.Value}", cancellationToken);
        }
    }

    private static string Contacts(IReadOnlyList<ContactPoint> contacts, Func<PersonId, string> nameOf) =>
        string.Join(", ", contacts.Select(c => c.Role is { } role ? $"{(c.Person is { } p ? nameOf(p) : c.Name)} ({role})" : c.Person is { } q ? nameOf(q) : c.Name));

    [LoggerMessage(EventId = 4820, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: the announcement cannot reach the {Department} channel {ChannelId}: {Why}")]
    private static partial void LogNotReached(ILogger logger, long agreementId, string department, string channelId, string why);
}
