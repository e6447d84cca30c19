using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.OrgDirectory;

/// <summary>
/// Resolves the domain's approver rules through the <see cref="IDirectory"/>. "Nobody" is an answer with a reason the
/// requester can act on; a directory that cannot answer throws <see cref="DirectoryUnavailableException"/> through,
/// so the domain changes nothing and the caller may retry.
/// </summary>
internal sealed class DirectoryApproverResolver(IDirectory directory) : IApproverResolver
{
    public async ValueTask<ApproverResolution> ResolveAsync(ApproverRule rule, PersonId requester, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.Kind switch
        {
            ApproverRuleKind.RequesterManager => await RequesterManagerAsync(requester, cancellationToken),
            ApproverRuleKind.Group => await GroupAsync(rule.GroupName!, cancellationToken),
            ApproverRuleKind.People => await PeopleAsync(rule.PersonIds, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule.Kind, "Unknown approver rule kind."),
        };
    }

    private async Task<ApproverResolution> RequesterManagerAsync(PersonId requester, CancellationToken cancellationToken)
    {
        if (await directory.GetManagerAsync(requester, cancellationToken) is { } manager)
            return ApproverResolution.Found(manager.Id);

        var person = await directory.GetPersonAsync(requester, cancellationToken);
        return ApproverResolution.CannotResolve(person is null
            ? $"the requester ({requester}) is not in the directory, so their manager is unknown"
            : $"{person.DisplayName} has no manager in the directory; ask an administrator to set one, or choose the approvers");
    }

    private async Task<ApproverResolution> GroupAsync(string groupName, CancellationToken cancellationToken)
    {
        var members = await directory.GetGroupMembersAsync(groupName, cancellationToken);
        if (members is null)
            return ApproverResolution.CannotResolve($"the directory has no group named '{groupName}'");
        if (members.Count == 0)
            return ApproverResolution.CannotResolve($"the directory group '{groupName}' has no members");
        return ApproverResolution.Found(members.Select(m => m.Id));
    }

    private async Task<ApproverResolution> PeopleAsync(IReadOnlyList<PersonId> ids, CancellationToken cancellationToken)
    {
        var unknown = new List<PersonId>();
        foreach (var id in ids)
        {
            if (await directory.GetPersonAsync(id, cancellationToken) is null)
                unknown.Add(id);
        }

        return unknown.Count == 0
            ? ApproverResolution.Found(ids)
            : ApproverResolution.CannotResolve($"not in the directory: {string.Join(", ", unknown.Take(5))}"
                                               + (unknown.Count > 5 ? $" and {unknown.Count - 5} more" : string.Empty));
    }
}
