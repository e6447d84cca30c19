using System.Security.Cryptography;
using System.Text;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.OrgDirectory;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Agreements.Signing;

/// <summary>
/// What signing an approved revision takes, from the configuration of the flow it was approved on: the signatories
/// (named people, group members, the provider's signatory) and the hash they sign — the revision's final contract's
/// SHA-256, else the SHA-256 of its terms as canonical JSON (the stored form, UTF-8). Null when the flow names no
/// signatories (or none of them can be found: the agreement is then activated as before, and a warning logged).
/// </summary>
public sealed partial class AgreementSigning(IOptions<SigningOptions> options, IDirectory directory, TeamsPeople people, ILogger<AgreementSigning> logger)
{
    public async Task<SigningRequirement?> RequirementAsync(Agreement agreement, ApprovalRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(request);
        var entries = options.Value.For(request.FlowName);
        if (entries.Count == 0 || request.Status != ApprovalStatus.Approved || agreement.RenewalInApproval) return null;

        var signatories = new List<PersonId>();
        foreach (var entry in entries)
        {
            foreach (var person in await ResolveAsync(entry, agreement, cancellationToken))
            {
                if (!signatories.Contains(person)) signatories.Add(person);
            }
        }
        if (signatories.Count == 0)
        {
            LogNobody(logger, agreement.Id, request.FlowName);
            return null;
        }
        var (sha256, source, name) = HashOf(agreement.CurrentRevision);
        return new SigningRequirement(signatories, sha256, source, name);
    }

    /// <summary>The hash a revision is signed on: its final contract's, else its canonical terms JSON's.</summary>
    public static (string Sha256, SigningHashSource Source, string? DocumentName) HashOf(AgreementRevision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        if (revision.Documents.FirstOrDefault(d => d.Kind == DocumentKind.FinalContract) is { } contract)
            return (contract.Sha256, SigningHashSource.FinalContract, contract.FileName);
        var json = StorageJson.Serialize(revision.Terms);
        return (Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json))), SigningHashSource.Terms, null);
    }

    private async Task<IReadOnlyList<PersonId>> ResolveAsync(string entry, Agreement agreement, CancellationToken cancellationToken)
    {
        if (entry.Equals(SigningOptions.Provider, StringComparison.OrdinalIgnoreCase))
        {
            var contacts = agreement.Terms.CommunicationPlan?.ProviderContacts.Where(c => c.Person is not null).ToList() ?? [];
            var signatory = contacts.FirstOrDefault(c => c.Role?.Contains("signatory", StringComparison.OrdinalIgnoreCase) == true) ?? contacts.FirstOrDefault();
            if (signatory?.Person is { } provider) return [provider];
            LogNoProviderSignatory(logger, agreement.Id);
            return [];
        }
        if (entry.StartsWith("group:", StringComparison.OrdinalIgnoreCase))
        {
            var group = entry[6..].Trim();
            var members = await directory.GetGroupMembersAsync(group, cancellationToken) ?? [];
            if (members.Count == 0) LogUnresolved(logger, agreement.Id, entry);
            return [.. members.Select(m => m.Id)];
        }
        var found = new List<PersonId>();
        foreach (var key in entry[7..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (await people.FindAsync(key, cancellationToken) is { } person) found.Add(person.Id);
            else LogUnresolved(logger, agreement.Id, key);
        }
        return found;
    }

    [LoggerMessage(EventId = 4860, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: none of the signatories configured for flow '{Flow}' could be found; it is activated without signatures")]
    private static partial void LogNobody(ILogger logger, long agreementId, string flow);

    [LoggerMessage(EventId = 4861, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: the communication plan names no provider contact reachable in Teams to sign")]
    private static partial void LogNoProviderSignatory(ILogger logger, long agreementId);

    [LoggerMessage(EventId = 4862, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: signatory '{Entry}' is not in the directory")]
    private static partial void LogUnresolved(ILogger logger, long agreementId, string entry);
}
