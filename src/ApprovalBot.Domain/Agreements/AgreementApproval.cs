using System.Globalization;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Agreements;

/// <summary>
/// Puts an agreement revision through an approval flow and keeps the two aggregates in step. Each method checks
/// everything that can fail before it changes either aggregate, so an exception leaves both as they were.
/// </summary>
public static class AgreementApproval
{
    /// <summary>Submits a Draft: a new approval request for its current revision, on <paramref name="flow"/> (normally <see cref="BuiltInFlows.Agreement"/>).</summary>
    public static async Task<ApprovalRequest> SubmitAsync(
        Agreement agreement,
        ApprovalFlow flow,
        PersonId requester,
        IEnumerable<RequestLink>? links,
        IApproverResolver resolver,
        IBusinessCalendar calendar,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        if (agreement.Status != AgreementStatus.Draft)
            throw new DomainException("agreement.transition", $"Only a draft starts a new approval; agreement '{agreement.Name}' is {agreement.Status}.");
        agreement.EnsureCanSubmit();
        var subject = ApprovalSubject.Agreement(agreement.Id, agreement.CurrentRevision.Number);
        var request = await ApprovalRequest.SubmitAsync(
            new NewApprovalRequest(Title(agreement), Details(agreement.Terms), requester, subject, links) { DocumentHashes = agreement.CurrentRevision.DocumentFingerprint },
            flow, resolver, calendar, now, cancellationToken);
        agreement.Submit(request, now);
        return request;
    }

    /// <summary>
    /// Answers a request for changes: the agreement's revised (unsubmitted) revision goes into the same request,
    /// which restarts at the stage that asked for changes.
    /// </summary>
    public static async Task<AuditEntry> ResubmitAsync(
        Agreement agreement,
        ApprovalRequest request,
        PersonId requester,
        string? comment,
        IEnumerable<RequestLink>? links,
        IApproverResolver resolver,
        IBusinessCalendar calendar,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(request);
        if (agreement.Status != AgreementStatus.ChangesRequested)
            throw new DomainException("agreement.transition", $"Only an agreement sent back for changes is resubmitted; '{agreement.Name}' is {agreement.Status}.");
        if (request.Subject.Kind != ApprovalSubjectKind.Agreement || request.Subject.Id != agreement.Id)
            throw new DomainException("agreement.wrong_request", $"That approval request is about {request.Subject}, not agreement {agreement.Id}.");
        agreement.EnsureCanSubmit();
        // Decisions are bound to the documents they were made on: when the documents changed since, none carries over.
        var hashes = agreement.CurrentRevision.DocumentFingerprint;
        var resubmission = new Resubmission(comment, agreement.CurrentRevision.Number, links)
        {
            DocumentHashes = hashes,
            RestartFromFirstStage = !string.Equals(hashes, request.DocumentHashes, StringComparison.Ordinal),
        };
        var entry = await request.ResubmitAsync(requester, resubmission, resolver, calendar, now, cancellationToken);
        agreement.Submit(request, now);
        return entry;
    }

    /// <summary>
    /// Adds a document to an agreement (replacing the revision's document of that kind). Not in approval: see
    /// <see cref="Agreement.AttachDocument"/>. In approval: the document goes into a new revision and
    /// <paramref name="request"/> (the request deciding the current revision) restarts from its first stage on it, so
    /// no decision made on the earlier documents counts. Returns what changed.
    /// </summary>
    public static async Task<DocumentChange> AttachDocumentAsync(
        Agreement agreement,
        ApprovalRequest? request,
        DocumentKind kind,
        DocumentFile file,
        PersonId by,
        IApproverResolver resolver,
        IBusinessCalendar calendar,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(file);
        var change = agreement.DocumentChangeFor(kind, file);
        if (change != DocumentChange.NewRevisionInApproval) return agreement.AttachDocument(kind, file, by, now);

        ArgumentNullException.ThrowIfNull(request);
        if (request.Subject.Kind != ApprovalSubjectKind.Agreement || request.Subject.Id != agreement.Id || request.Subject.Revision != agreement.CurrentRevision.Number)
            throw new DomainException("agreement.wrong_request", $"That approval request is about {request.Subject}, not the revision of agreement {agreement.Id} in approval.");
        var next = agreement.CurrentRevision.Number + 1;
        var replaced = agreement.CurrentRevision.Documents.FirstOrDefault(d => d.Kind == kind);
        var hashes = AgreementDocument.Fingerprint(agreement.CurrentRevision.Documents.Where(d => d.Kind != kind)
            .Select(d => (d.Kind, d.Sha256)).Append((kind, file.Sha256)));
        var reason = replaced is null
            ? $"{AgreementDocument.KindName(kind)} added: {file.FileName} (sha256 {file.Sha256[..12]}…)."
            : $"{AgreementDocument.KindName(kind)} replaced: {file.FileName} (sha256 {file.Sha256[..12]}…) instead of {replaced.FileName} (sha256 {replaced.ShortHash}…).";
        await request.RestartForChangedSubjectAsync(by, next, reason, hashes, resolver, calendar, now, cancellationToken);
        agreement.SupersedeInApproval(kind, file, request, by, now);
        return change;
    }

    /// <summary>
    /// Adds a document to an agreement awaiting signatures: the document goes into a new revision, which goes through
    /// approval again in a new request on <paramref name="flow"/> (the flow the approved revision went through), and
    /// the signatures so far no longer count. Returns the new request.
    /// </summary>
    public static async Task<ApprovalRequest> AttachDocumentAwaitingSignaturesAsync(
        Agreement agreement,
        ApprovalFlow flow,
        DocumentKind kind,
        DocumentFile file,
        PersonId by,
        IApproverResolver resolver,
        IBusinessCalendar calendar,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(file);
        if (agreement.DocumentChangeFor(kind, file) != DocumentChange.NewRevisionAwaitingSignatures)
            throw new DomainException("agreement.transition", $"Agreement '{agreement.Name}' is {agreement.Status}, not awaiting signatures.");
        var hashes = AgreementDocument.Fingerprint(agreement.CurrentRevision.Documents.Where(d => d.Kind != kind)
            .Select(d => (d.Kind, d.Sha256)).Append((kind, file.Sha256)));
        var subject = ApprovalSubject.Agreement(agreement.Id, agreement.CurrentRevision.Number + 1);
        var request = await ApprovalRequest.SubmitAsync(
            new NewApprovalRequest(Title(agreement), Details(agreement.Terms), by, subject, null) { DocumentHashes = hashes },
            flow, resolver, calendar, now, cancellationToken);
        agreement.SupersedeAwaitingSignatures(kind, file, request, by, now);
        return request;
    }

    /// <summary>
    /// Renews an Active agreement: its terms in force, moved to the next term (<see cref="TermSchedule.Renewed"/>), go as
    /// a new revision into a new approval request on <paramref name="flow"/> (the renewal flow); the agreement stays
    /// Active on the signed-off revision until the request is approved.
    /// </summary>
    public static async Task<ApprovalRequest> SubmitRenewalAsync(
        Agreement agreement,
        ApprovalFlow flow,
        PersonId requester,
        TimeZoneInfo fallbackZone,
        IApproverResolver resolver,
        IBusinessCalendar calendar,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        agreement.EnsureCanRenew();
        var schedule = agreement.TermSchedule(fallbackZone)
            ?? throw new DomainException("agreement.no_term", $"Agreement '{agreement.Name}' has no end date or notice period to renew from.");
        var terms = schedule.Renewed(agreement.TermsInForce!);
        var subject = ApprovalSubject.Agreement(agreement.Id, agreement.CurrentRevision.Number + 1);
        var request = await ApprovalRequest.SubmitAsync(
            new NewApprovalRequest(RenewalTitle(agreement), Details(terms), requester, subject, null),
            flow, resolver, calendar, now, cancellationToken);
        agreement.StartRenewal(terms, request, requester, now);
        return request;
    }

    private static string RenewalTitle(Agreement agreement)
    {
        var title = $"Renewal of IT support agreement: {agreement.Name}";
        return title.Length <= ApprovalRequest.MaxTitleLength ? title : title[..ApprovalRequest.MaxTitleLength];
    }

    private static string Title(Agreement agreement) => $"IT support agreement: {agreement.Name}";

    private static string Details(AgreementTerms terms)
    {
        var culture = CultureInfo.InvariantCulture;
        var services = (terms.Services?.Kinds ?? []).Select(k => Words(k.ToString())).ToList();
        var lines = new List<string>
        {
            $"Provider: {terms.ProviderName}",
            string.Create(culture, $"Term: {terms.StartDate:yyyy-MM-dd} to {terms.EndDate:yyyy-MM-dd}"),
            $"Services: {string.Join(", ", services)}{(terms.Services?.OtherDescription is { } other ? $" ({other})" : string.Empty)}",
            $"Coverage: {(terms.Coverage is { } coverage ? Words(coverage.ToString()) : string.Empty)}",
        };
        if (terms.Pricing is { } pricing) lines.Add(string.Create(culture, $"Pricing: {Words(pricing.Structure.ToString())}, {pricing.Amount:#,0.##} {pricing.Currency}"));
        var text = string.Join('\n', lines);
        return text.Length <= ApprovalRequest.MaxDetailsLength ? text : text[..ApprovalRequest.MaxDetailsLength];
    }

    /// <summary>An enum name as words people read: "MonthlyRetainer" → "Monthly retainer".</summary>
    private static string Words(string pascal)
    {
        var text = new System.Text.StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (i > 0 && char.IsUpper(c)) text.Append(' ').Append(char.ToLowerInvariant(c));
            else text.Append(c);
        }
        return text.ToString();
    }
}
