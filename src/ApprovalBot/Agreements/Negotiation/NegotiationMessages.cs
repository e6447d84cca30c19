using System.Globalization;
using System.Text.Json.Nodes;
using ApprovalBot.Agreements.Cards;
using ApprovalBot.Agreements.Documents;
using ApprovalBot.Approvals;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Outbox;

namespace ApprovalBot.Agreements.Negotiation;

/// <summary>
/// What people see of a negotiation round, staged in the outbox with the change that causes it (rule 13): the
/// negotiation card to each of the provider's negotiators (1:1) when a round opens, an in-place update of every copy
/// after the provider's answer (or a new revision that makes them stale), and chat messages to the requester (and,
/// after a change request, to the return stage's approvers). Dedupe keys name the agreement, the round and the
/// person, so a retried use case stages each message once.
/// </summary>
public sealed partial class NegotiationMessages(
    Outbox outbox, TeamsPeople people, CardRenderer cards, DocumentLinks links, ApprovalMessages approvalMessages, ILogger<NegotiationMessages> logger)
{
    public static string Subject(long agreementId) => string.Create(CultureInfo.InvariantCulture, $"agreement-negotiation:{agreementId}");

    /// <summary>The card of <paramref name="round"/> as <paramref name="viewer"/> sees it now (the buttons only for a negotiator of the open round).</summary>
    public async Task<JsonObject> CardAsync(Agreement agreement, NegotiationRound round, PersonId? viewer, CancellationToken cancellationToken, string? error = null, string? notice = null)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(round);
        var revision = agreement.Revisions.Single(r => r.Number == round.Revision);
        var terms = revision.Terms;
        var open = agreement.OpenNegotiationRound?.Number == round.Number;
        var involved = round.DecidedBy is { } by ? round.Negotiators.Append(by) : round.Negotiators;
        var names = await people.NamesAsync(involved, cancellationToken);

        var facts = new List<NoticeFact>
        {
            new("Round", round.Number.ToString(CultureInfo.InvariantCulture)),
            new("Revision", round.Revision.ToString(CultureInfo.InvariantCulture)),
        };
        if (terms.ProviderName is { } provider) facts.Add(new NoticeFact("Provider", provider));
        if (terms.StartDate is { } start && terms.EndDate is { } end) facts.Add(new NoticeFact("Term", $"{TermDates.Format(start)} to {TermDates.Format(end)}"));
        if (terms.Services is { Kinds.Count: > 0 } services) facts.Add(new NoticeFact("Services", string.Join(", ", services.Kinds.Select(AgreementCards.ServiceText))));
        if (terms.Pricing is { } pricing)
            facts.Add(new NoticeFact("Pricing", string.Create(CultureInfo.InvariantCulture, $"{AgreementCards.PricingText(pricing.Structure)}, {pricing.Amount:#,0.##} {pricing.Currency}")));
        if (terms.TerminationNotice is { } period) facts.Add(new NoticeFact("Termination notice", string.Create(CultureInfo.InvariantCulture, $"{period.Count} {period.Unit.ToString().ToLowerInvariant()}")));
        facts.Add(new NoticeFact("Sent to", string.Join(", ", round.Negotiators.Select(names))));

        var documents = revision.Documents.OrderBy(d => d.Kind).Select(d => new ApprovalCardDocument(
            AgreementDocument.KindName(d.Kind), d.FileName, AgreementDocument.FormatSize(d.SizeBytes), d.ShortHash, links.For(agreement.Id, d.Sha256))).ToList();
        var (text, tone) = Describe(agreement, round, open, names);
        var canDecide = open && viewer is { } v && round.Negotiators.Contains(v);
        return cards.Render(CardTemplates.AgreementNegotiation, new NegotiationCardData(
            agreement.Id, agreement.Name, tone, text, facts, documents, round.TermsSha256, canDecide,
            new NegotiationActionData(agreement.Id, round.Number),
            round.Outcome == NegotiationOutcome.ChangesRequested ? round.Comment : null, error, notice));
    }

    private static (string Text, NoticeTone Tone) Describe(Agreement agreement, NegotiationRound round, bool open, Func<PersonId, string> names)
    {
        var sent = Time(round.SentAt);
        if (open)
            return ($"Revision {round.Revision} of {agreement.Name} has passed our review and waits for your answer (round {round.Number}, sent {sent}). "
                    + "Accept it, or ask for changes with a comment: a change request sends it back to our review, and a new card comes to you after it.", NoticeTone.Warning);
        var who = round.DecidedBy is { } by ? names(by) : "The provider";
        var when = round.DecidedAt is { } at ? Time(at) : "?";
        return round.Outcome switch
        {
            NegotiationOutcome.Accepted => ($"Agreed upon {when} by {who}: revision {round.Revision} goes on through the remaining approval.", NoticeTone.Good),
            NegotiationOutcome.ChangesRequested => ($"{who} asked for changes on {when}: revision {round.Revision + 1}, pending further negotiation, went back to our review. A new card comes when it is sent to the provider again.", NoticeTone.Attention),
            NegotiationOutcome.Superseded => ($"Round {round.Number} closed {when} without an answer: the documents changed in revision {round.Revision + 1}, which replaced revision {round.Revision} and goes through our review again from the first stage. A new card comes when it is sent to the provider.", NoticeTone.Default),
            _ => ($"Out of date: revision {agreement.CurrentRevision.Number} replaced revision {round.Revision} (its documents changed). A new card comes when it is sent to the provider.", NoticeTone.Default),
        };
    }

    /// <summary>A round opened: its card to each negotiator, and the requester is told. Call before saving.</summary>
    public async Task StageRoundAsync(Agreement agreement, ApprovalRequest request, NegotiationRound round, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(round);
        var key = Key(agreement.Id, round.Number);
        foreach (var person in round.Negotiators)
        {
            var reach = await people.ReachAsync(person, cancellationToken);
            if (reach is Reach.Unreachable unreachable)
            {
                LogUnreachable(logger, agreement.Id, person.Value, unreachable.Why);
                continue;
            }
            var card = await CardAsync(agreement, round, person, cancellationToken);
            await outbox.SendAsync(reach, CardActivities.ToMessage(card), $"{key}:to:{person.Value}", cancellationToken, Subject(agreement.Id), Viewer(person, round.Number));
        }
        var names = await people.NamesAsync(round.Negotiators, cancellationToken);
        var stage = request.CurrentStageNumber;
        await approvalMessages.TellRequesterAsync(request, string.Create(CultureInfo.InvariantCulture,
            $"Stage {stage} ({request.Stages[stage - 1].Name}) approved revision {round.Revision} of {agreement.Name}; it went to the provider ({string.Join(", ", round.Negotiators.Select(names))}) in negotiation round {round.Number}. "
            + $"Stage {stage + 1} ({request.Stages[stage].Name}) starts when they accept; if they ask for changes, it comes back for review."), $"{key}:sent", cancellationToken);
    }

    /// <summary>
    /// The provider answered <paramref name="round"/>: the requester is told, and after a change request also the
    /// approvers of the stage it went back to (<paramref name="request"/> as restarted). Call before saving.
    /// </summary>
    public async Task TellAnswerAsync(Agreement agreement, ApprovalRequest request, NegotiationRound round, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(round);
        if (round.DecidedBy is not { } by) return;
        var key = $"{Key(agreement.Id, round.Number)}:answer";
        var who = (await people.NamesAsync([by], cancellationToken))(by);
        var stage = $"stage {request.CurrentStageNumber} ({request.Stages[request.CurrentStageNumber - 1].Name})";
        if (round.Outcome == NegotiationOutcome.Accepted)
        {
            await approvalMessages.TellRequesterAsync(request, $"{who} accepted revision {round.Revision} of {agreement.Name} for the provider: agreed upon. It goes on to {stage}.", key, cancellationToken);
            return;
        }
        var text = $"{who} asked for changes to revision {round.Revision} of {agreement.Name} for the provider: \u201c{round.Comment}\u201d "
                   + $"Revision {agreement.CurrentRevision.Number}, pending further negotiation, is back at {stage} and needs its approval again; earlier decisions on it do not carry over.";
        await approvalMessages.TellRequesterAsync(request, text, key, cancellationToken);
        foreach (var approver in request.WaitingFor.Where(p => p != request.Requester))
            await approvalMessages.TellAsync(request, approver, text, $"{key}:to:{approver.Value}", cancellationToken);
    }

    /// <summary>
    /// A document change closed <paramref name="round"/> before the provider answered (<see cref="NegotiationOutcome.Superseded"/>)
    /// and restarted <paramref name="request"/>: each of the round's negotiators is told once, in a short message next to
    /// the card (whose copies <see cref="UpdateCopiesAsync"/> updates). Call before saving.
    /// </summary>
    public async Task TellSupersededAsync(Agreement agreement, ApprovalRequest request, NegotiationRound round, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(round);
        if (round.Outcome != NegotiationOutcome.Superseded) return;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Negotiation round {round.Number} of {agreement.Name} is closed: the documents changed in revision {round.Revision + 1}, so revision {round.Revision} no longer waits for your answer. The new revision goes through our review again; a new card comes to you when it is sent to the provider.");
        var key = $"{Key(agreement.Id, round.Number)}:superseded";
        foreach (var person in round.Negotiators)
            await approvalMessages.TellAsync(request, person, text, $"{key}:to:{person.Value}", cancellationToken);
    }

    /// <summary>Updates every posted copy of the agreement's negotiation cards, each for its reader and its round. Call before saving.</summary>
    public Task UpdateCopiesAsync(Agreement agreement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        return outbox.UpdateCardCopiesAsync(Subject(agreement.Id),
            (viewer, ct) =>
            {
                var (person, number) = ParseViewer(viewer);
                var round = agreement.NegotiationRounds.FirstOrDefault(r => r.Number == number) ?? agreement.NegotiationRounds[^1];
                return CardAsync(agreement, round, person, ct);
            },
            string.Create(CultureInfo.InvariantCulture, $"v{agreement.Version}"), cancellationToken);
    }

    private static string Key(long agreementId, int round) => string.Create(CultureInfo.InvariantCulture, $"{Subject(agreementId)}:round{round}");

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>A copy's viewer: the round it was sent for and the negotiator ("2|aad-object-id").</summary>
    private static string Viewer(PersonId person, int round) => string.Create(CultureInfo.InvariantCulture, $"{round}|{person.Value}");

    private static (PersonId? Person, int Round) ParseViewer(string? viewer)
    {
        if (viewer is null) return (null, 0);
        var bar = viewer.IndexOf('|', StringComparison.Ordinal);
        return bar > 0 && int.TryParse(viewer.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var round)
            ? (new PersonId(viewer[(bar + 1)..]), round)
            : (new PersonId(viewer), 0);
    }

    [LoggerMessage(EventId = 4890, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: cannot reach the provider's negotiator {Person} with the negotiation card: {Why}")]
    private static partial void LogUnreachable(ILogger logger, long agreementId, string person, string why);
}
