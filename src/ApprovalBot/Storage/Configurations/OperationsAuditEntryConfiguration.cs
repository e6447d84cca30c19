using ApprovalBot.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalBot.Storage.Configurations;

/// <summary>The operations audit trail (table <c>operations_audit</c>), read newest first.</summary>
internal sealed class OperationsAuditEntryConfiguration : IEntityTypeConfiguration<OperationsAuditEntry>
{
    public void Configure(EntityTypeBuilder<OperationsAuditEntry> b)
    {
        b.ToTable("operations_audit");
        b.HasKey(x => x.Id);
        b.Property(x => x.Actor).HasMaxLength(OperationsAuditEntry.MaxActorLength).IsRequired();
        b.Property(x => x.Action).HasMaxLength(32).IsRequired();
        b.Property(x => x.Target).HasMaxLength(OperationsAuditEntry.MaxTargetLength).IsRequired();
        b.Property(x => x.Outcome).HasMaxLength(16).IsRequired();
        b.Property(x => x.Detail).HasMaxLength(OperationsAuditEntry.MaxDetailLength);
        b.HasIndex(x => x.At);
    }
}
