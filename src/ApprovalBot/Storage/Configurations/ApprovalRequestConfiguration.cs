using ApprovalBot.Domain.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalBot.Storage.Configurations;

/// <summary>
/// An approval request: its own row (the subject as columns, the flow snapshot, links and outcome as JSON text), its
/// stage runs and their seats as owned tables (so "whose decision is awaited" is a query on
/// <c>approval_stage_seats</c>), and its append-only audit trail in <c>approval_audit</c>, keyed by request and sequence.
/// <see cref="ApprovalRequest.Version"/> is the concurrency token: of two saves from the same version, the second fails.
/// </summary>
internal sealed class ApprovalRequestConfiguration : IEntityTypeConfiguration<ApprovalRequest>
{
    public void Configure(EntityTypeBuilder<ApprovalRequest> b)
    {
        b.ToTable("approval_requests");
        b.HasKey(x => x.Id);
        b.Property(x => x.Title).HasMaxLength(ApprovalRequest.MaxTitleLength).IsRequired();
        b.Property(x => x.Details).HasMaxLength(ApprovalRequest.MaxDetailsLength).IsRequired();
        b.Property(x => x.Links).HasJsonConversion().IsRequired();
        b.Property(x => x.Requester).IsRequired();
        b.ComplexProperty(x => x.Subject, s =>
        {
            s.Property(p => p.Kind).HasConversion<string>().HasMaxLength(32).HasColumnName("subject_kind");
            s.Property(p => p.Id).HasColumnName("subject_id");
            s.Property(p => p.Revision).HasColumnName("subject_revision");
            s.Property(p => p.Reference).HasMaxLength(200).HasColumnName("subject_reference");
        });
        b.Property(x => x.FlowName).HasMaxLength(100).IsRequired();
        b.Property(x => x.Stages).HasJsonConversion().IsRequired();
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.Outcome).HasJsonConversion();
        b.Property(x => x.DocumentHashes).HasMaxLength(ApprovalStorage.DocumentHashesLength);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.CurrentStage);
        b.Ignore(x => x.CurrentCard);
        b.Ignore(x => x.WaitingFor);
        b.Ignore(x => x.NextTimerAt);
        b.HasIndex(x => x.Status);
        b.HasIndex(x => x.Requester);

        b.OwnsMany(x => x.StageRuns, r =>
        {
            r.ToTable("approval_stage_runs");
            r.WithOwner().HasForeignKey("ApprovalRequestId");
            r.HasKey(x => x.Id);
            r.Property(x => x.Id).ValueGeneratedOnAdd();
            r.Property(x => x.StageName).HasMaxLength(100).IsRequired();
            r.Property(x => x.Rule).HasJsonConversion().IsRequired();
            r.Property(x => x.Status).HasConversion<string>().HasMaxLength(32);
            r.Property(x => x.ReminderTimes).HasJsonConversion().IsRequired();
            r.Ignore(x => x.ApprovalsNeeded);
            r.Ignore(x => x.Waiting);
            r.HasIndex(x => new { x.Status, x.DueAt });

            r.OwnsMany(x => x.Seats, s =>
            {
                s.ToTable("approval_stage_seats");
                s.WithOwner().HasForeignKey("StageRunId");
                s.HasKey(x => x.Id);
                s.Property(x => x.Id).ValueGeneratedOnAdd();
                s.Property(x => x.Owner).IsRequired();
                s.Property(x => x.Decision).HasConversion<string>().HasMaxLength(32);
                s.Property(x => x.Comment).HasMaxLength(ApprovalRequest.MaxCommentLength);
                s.Ignore(x => x.Holder);
                s.HasIndex(x => x.Owner);
                s.HasIndex(x => x.Delegate);
            });
        });

        b.OwnsMany(x => x.AuditTrail, a =>
        {
            a.ToTable("approval_audit");
            a.WithOwner().HasForeignKey("ApprovalRequestId");
            a.HasKey("ApprovalRequestId", nameof(AuditEntry.Sequence));
            a.Property(x => x.Sequence).ValueGeneratedNever();
            a.Ignore(x => x.Id);
            a.Ignore(x => x.Who);
            a.Property(x => x.Action).HasConversion<string>().HasMaxLength(32);
            a.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(32);
            a.Property(x => x.Refusal).HasConversion<string>().HasMaxLength(32);
            a.Property(x => x.Comment).HasMaxLength(ApprovalRequest.MaxCommentLength);
            a.Property(x => x.StageName).HasMaxLength(100);
            a.Property(x => x.DocumentHashes).HasMaxLength(ApprovalStorage.DocumentHashesLength);
            a.HasIndex(x => x.At);
            a.HasIndex(x => x.Actor);
        });
    }
}

/// <summary>Column sizes of the approval tables that are not a domain constant.</summary>
internal static class ApprovalStorage
{
    /// <summary>"Kind:&lt;64 hex&gt;" per document kind, space-separated, with room for more kinds.</summary>
    public const int DocumentHashesLength = 1000;
}
