using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ApprovalBot.Approvals;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Agreements.Negotiation;

/// <summary>
/// Where negotiation with the provider fits into an agreement's approval: which stage hands the revision to the
/// provider and which stage a change request returns to (<see cref="NegotiationOptions"/>, per flow, read from the
/// request's own stage snapshot), who the provider's negotiators are, and opening a round when the negotiation stage
/// approves. The negotiators are the provider contacts of the agreement's communication plan that are reachable in
/// Teams — as signing finds the provider's signatory: a contact with a directory id, or whose e-mail address the
/// directory knows (a guest of the tenant, or a user of a connected tenant).
/// </summary>
public sealed partial class ProviderNegotiation(
    BotDbContext db, IOptions<NegotiationOptions> options, TeamsPeople people, NegotiationMessages messages, ApprovalClock clock, ILogger<ProviderNegotiation> logger)
{
    /// <summary>The request's negotiation plan; null when it is not about an agreement or its flow has none.</summary>
    public NegotiationPlan? PlanFor(ApprovalRequest? request) =>
        request is { Subject.Kind: ApprovalSubjectKind.Agreement } ? options.Value.PlanFor(request.FlowName, request.Stages) : null;

    /// <summary>
    /// The provider's negotiators when an approval of <paramref name="request"/>'s current stage would hand the revision
    /// to the provider (the flow's negotiation stage, an agreement in approval — not a renewal); empty otherwise, and
    /// when the provider has nobody reachable in Teams (the approval then goes on as without negotiation, and a warning is logged).
    /// </summary>
    public async Task<IReadOnlyList<PersonId>> NegotiatorsIfHandingOverAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (PlanFor(request) is not { } plan || request.CurrentStage?.StageNumber != plan.AfterStage || request.Subject.Id is not { } id) return [];
        var agreement = await db.Agreements.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (agreement is null || agreement.Status != AgreementStatus.InApproval || agreement.CurrentRevision.Number != request.Subject.Revision) return [];
        var negotiators = await NegotiatorsAsync(agreement, cancellationToken);
        if (negotiators.Count == 0) LogNobody(logger, agreement.Id, request.FlowName);
        return negotiators;
    }

    /// <summary>The agreement's provider contacts that are reachable in Teams, in the plan's order, each once.</summary>
    public async Task<IReadOnlyList<PersonId>> NegotiatorsAsync(Agreement agreement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var found = new List<PersonId>();
        foreach (var contact in agreement.Terms.CommunicationPlan?.ProviderContacts ?? [])
        {
            var person = contact.Person;
            if (person is null && !string.IsNullOrWhiteSpace(contact.Email)) person = (await people.FindAsync(contact.Email, cancellationToken))?.Id;
            if (person is not { } p || found.Contains(p)) continue;
            if (await people.ReachAsync(p, cancellationToken) is Reach.Unreachable unreachable)
            {
                LogUnreachable(logger, agreement.Id, p.Value, unreachable.Why);
                continue;
            }
            found.Add(p);
        }
        return found;
    }

    /// <summary>
    /// After an accepted decision: when <paramref name="request"/> now waits for the provider, opens the negotiation
    /// round on the agreement (sent now to <paramref name="negotiators"/>, with the document and terms hashes), records
    /// it in <c>agreement_events</c> and stages the cards and the requester's message. Call before saving.
    /// </summary>
    public async Task StageHandOverAsync(Agreement agreement, ApprovalRequest request, IReadOnlyList<PersonId> negotiators, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(negotiators);
        if (request.Status != ApprovalStatus.AwaitingProvider || negotiators.Count == 0 || agreement.OpenNegotiationRound is not null) return;
        var round = agreement.SendToProvider(request, negotiators, TermsSha256(agreement.CurrentRevision), clock.Now);
        db.AgreementEvents.Add(AgreementEvent.Record(agreement.Id, AgreementEventKind.SentToProvider, null, clock.Now, string.Create(CultureInfo.InvariantCulture,
            $"Round {round.Number}: revision {round.Revision} sent to the provider ({string.Join(", ", round.Negotiators.Select(p => p.Value))}); documents {round.DocumentHashes ?? "none"}; terms sha256 {round.TermsSha256}.")));
        await messages.StageRoundAsync(agreement, request, round, cancellationToken);
        LogSent(logger, agreement.Id, round.Number, round.Revision, round.Negotiators.Count);
    }

    /// <summary>The SHA-256 (lower-case hex) of a revision's terms as canonical JSON (the stored form, UTF-8).</summary>
    public static string TermsSha256(AgreementRevision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(StorageJson.Serialize(revision.Terms))));
    }

    [LoggerMessage(EventId = 4891, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: the communication plan names no provider contact reachable in Teams to negotiate with; flow '{Flow}' goes on without negotiation")]
    private static partial void LogNobody(ILogger logger, long agreementId, string flow);

    [LoggerMessage(EventId = 4892, Level = LogLevel.Information, Message = "Agreement {AgreementId}: negotiation round {Round} opened on revision {Revision}, sent to {Count} of the provider's negotiators")]
    private static partial void LogSent(ILogger logger, long agreementId, int round, int revision, int count);

    [LoggerMessage(EventId = 4893, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: the provider contact {Person} is not reachable in Teams and is not a negotiator: {Why}")]
    private static partial void LogUnreachable(ILogger logger, long agreementId, string person, string why);
}
