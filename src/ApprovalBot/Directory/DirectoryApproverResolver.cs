using System.Globalization;
using ApprovalBot.Approvals;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.OrgDirectory;

/// <summary>
/// Resolves the domain's approver rules through the <see cref="IDirectory"/>, and says who is out of office (automatic
/// replies on) and who decides for them (<see cref="OutOfOfficeOptions"/>: a configured delegate, else the manager).
/// "Nobody" is an answer with a reason the requester can act on; a directory that cannot answer
/// (<see cref="DirectoryUnavailableException"/>) becomes <see cref="ApproversUnavailableException"/>, so the stage
/// waits for the directory instead of failing the request.
/// </summary>
internal sealed class DirectoryApproverResolver(IDirectory directory, OutOfOfficeOptions? outOfOffice = null) : IApproverResolver
{
    private const string Unavailable = "The directory is not answering.";

    public async ValueTask<ApproverResolution> ResolveAsync(ApproverRule rule, PersonId requester, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        try
        {
            return rule.Kind switch
            {
                ApproverRuleKind.RequesterManager => await RequesterManagerAsync(requester, cancellationToken),
                ApproverRuleKind.Group => await GroupAsync(rule.GroupName!, cancellationToken),
                ApproverRuleKind.People => await PeopleAsync(rule.PersonIds, cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(rule), rule.Kind, "Unknown approver rule kind."),
            };
        }
        catch (DirectoryUnavailableException e)
        {
            throw new ApproversUnavailableException(Unavailable, e);
        }
    }

    public async ValueTask<ApproverAbsence?> AbsenceAsync(PersonId approver, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (outOfOffice is not { Enabled: true }) return null;
        try
        {
            var replies = await directory.GetAutomaticRepliesAsync(approver, cancellationToken);
            if (replies is null || !replies.IsOnAt(now)) return null;
            var why = replies is { Status: AutomaticRepliesStatus.Scheduled, ScheduledEnd: { } end }
                ? $"automatic replies are on until {end.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)}"
                : "automatic replies are on";

            string? unknownDelegate = null;
            if (outOfOffice.Delegates.Count > 0)
            {
                var person = await directory.GetPersonAsync(approver, cancellationToken);
                if (outOfOffice.DelegateOf(approver.Value, person?.Email, person?.UserPrincipalName) is { } configured)
                {
                    var standIn = configured.Contains('@', StringComparison.Ordinal)
                        ? await directory.FindByEmailOrUpnAsync(configured, cancellationToken)
                        : await directory.GetPersonAsync(new PersonId(configured), cancellationToken);
                    if (standIn is not null) return new ApproverAbsence(why, standIn.Id, "their configured delegate");
                    unknownDelegate = $"their configured delegate '{configured}' is not in the directory";
                }
            }

            if (await directory.GetManagerAsync(approver, cancellationToken) is { } manager)
                return new ApproverAbsence(why, manager.Id, unknownDelegate is null ? "their manager" : $"their manager, as {unknownDelegate}");
            return new ApproverAbsence(why, null, NoStandIn: unknownDelegate is null
                ? "they have no configured delegate and no manager in the directory"
                : $"{unknownDelegate} and they have no manager in it");
        }
        catch (DirectoryUnavailableException e)
        {
            throw new ApproversUnavailableException(Unavailable, e);
        }
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
