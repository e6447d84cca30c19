using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Approvals;

public enum ApprovalSubjectKind
{
    /// <summary>Anything that is not a domain object of ours (a purchase, an access request, …).</summary>
    Other,

    /// <summary>A revision of an <see cref="Agreements.Agreement"/>.</summary>
    Agreement,
}

/// <summary>What a request asks approval for: a kind, the subject's id (none for Other) and the revision decided on.</summary>
public sealed record ApprovalSubject
{
    private ApprovalSubject(ApprovalSubjectKind kind, long? id, int revision, string? reference)
    {
        Kind = kind;
        Id = id;
        Revision = revision;
        Reference = reference;
    }

    public ApprovalSubjectKind Kind { get; }

    public long? Id { get; }

    /// <summary>The subject's revision this request decides (for Other, the request's own revision).</summary>
    public int Revision { get; }

    /// <summary>Free text for Other, e.g. an external ticket number.</summary>
    public string? Reference { get; }

    public static ApprovalSubject Agreement(long agreementId, int revision)
    {
        Guard.That(agreementId >= 0, "request.invalid", "An agreement id cannot be negative.");
        Guard.That(revision >= 1, "request.invalid", "A revision number starts at 1.");
        return new ApprovalSubject(ApprovalSubjectKind.Agreement, agreementId, revision, null);
    }

    public static ApprovalSubject Other(string? reference = null) =>
        new(ApprovalSubjectKind.Other, null, 1, Guard.OptionalText(reference, "The subject reference", 200));

    internal ApprovalSubject WithRevision(int revision) => new(Kind, Id, revision, Reference);

    public override string ToString() => Kind == ApprovalSubjectKind.Agreement ? $"agreement {Id} rev {Revision}" : $"other {Reference}".TrimEnd();
}
