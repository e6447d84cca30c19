using ApprovalBot.Domain.Agreements;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalBot.Storage.Configurations;

/// <summary>
/// An agreement and its revisions (owned, table <c>agreement_revisions</c>, one row per revision). A revision's terms
/// are one JSON text column: they are a snapshot that is read and written whole, never queried inside. A revision's
/// documents are owned rows of <c>agreement_documents</c>.
/// </summary>
internal sealed class AgreementConfiguration : IEntityTypeConfiguration<Agreement>
{
    public void Configure(EntityTypeBuilder<Agreement> b)
    {
        b.ToTable("agreements");
        b.HasKey(x => x.Id);
        b.Property(x => x.Name).HasMaxLength(Agreement.MaxNameLength).IsRequired();
        b.Property(x => x.CreatedBy).IsRequired();
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.TerminationReason).HasMaxLength(Agreement.MaxReasonLength);
        b.Property(x => x.TermChoice).HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.CurrentRevision);
        b.Ignore(x => x.Terms);
        b.Ignore(x => x.TermsInForce);
        b.Ignore(x => x.RenewalInApproval);
        b.Ignore(x => x.RenewalPending);
        b.Ignore(x => x.AcceptedTerminationReasons);
        b.Ignore(x => x.Signatures);
        b.Property(x => x.Signatories).HasJsonConversion();
        b.Property(x => x.SigningHash).HasMaxLength(64);
        b.Property(x => x.SigningHashSource).HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.SigningDocumentName).HasMaxLength(DocumentFile.MaxFileNameLength);

        // Signing events (signatures, and refused attempts by non-signatories), each bound to a revision and a hash.
        b.OwnsMany(x => x.SigningEvents, s =>
        {
            s.ToTable("agreement_signatures");
            s.WithOwner().HasForeignKey("AgreementId");
            s.HasKey(x => x.Id);
            s.Property(x => x.Id).ValueGeneratedOnAdd();
            s.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
            s.Property(x => x.Signer).IsRequired();
            s.Property(x => x.Sha256).HasMaxLength(64).IsRequired();
            s.Property(x => x.TypedName).HasMaxLength(AgreementSignature.MaxTypedNameLength).IsRequired();
        });

        // Negotiation rounds with the provider: what was sent (revision, hashes), when, to whom, and the answer.
        b.Ignore(x => x.OpenNegotiationRound);
        b.OwnsMany(x => x.NegotiationRounds, n =>
        {
            n.ToTable("agreement_negotiation_rounds");
            n.WithOwner().HasForeignKey("AgreementId");
            n.HasKey(x => x.Id);
            n.Property(x => x.Id).ValueGeneratedOnAdd();
            n.Property(x => x.Negotiators).HasJsonConversion().IsRequired();
            n.Property(x => x.DocumentHashes).HasMaxLength(1000);
            n.Property(x => x.TermsSha256).HasMaxLength(64).IsRequired();
            n.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(32);
            n.Property(x => x.Comment).HasMaxLength(NegotiationRound.MaxCommentLength);
            n.HasIndex("AgreementId", nameof(NegotiationRound.Number)).IsUnique();
        });
        b.HasIndex(x => x.Name);
        b.HasIndex(x => x.Status);

        b.OwnsMany(x => x.Revisions, r =>
        {
            r.ToTable("agreement_revisions");
            r.WithOwner().HasForeignKey("AgreementId");
            r.HasKey(x => x.Id);
            r.Property(x => x.Id).ValueGeneratedOnAdd();
            r.Property(x => x.Terms).HasJsonConversion().IsRequired();
            r.Property(x => x.CreatedBy).IsRequired();
            r.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(32);
            r.Property(x => x.Decision).HasJsonConversion();
            r.HasIndex("AgreementId", nameof(AgreementRevision.Number)).IsUnique();
            r.Ignore(x => x.DocumentFingerprint);

            // A revision's documents: metadata only, pinned by hash; the bytes are in the document store
            // (agreement_document_contents or a folder), keyed by that hash.
            r.OwnsMany(x => x.Documents, d =>
            {
                d.ToTable("agreement_documents");
                d.WithOwner().HasForeignKey("RevisionId");
                d.HasKey(x => x.Id);
                d.Property(x => x.Id).ValueGeneratedOnAdd();
                d.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
                d.Property(x => x.FileName).HasMaxLength(DocumentFile.MaxFileNameLength).IsRequired();
                d.Property(x => x.ContentType).HasMaxLength(DocumentFile.MaxContentTypeLength).IsRequired();
                d.Property(x => x.Sha256).HasMaxLength(64).IsRequired();
                d.Property(x => x.UploadedBy).IsRequired();
                d.Ignore(x => x.ShortHash);
                d.HasIndex(x => x.Sha256);
            });
        });
    }
}
