using ApprovalBot.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalBot.Storage.Configurations;

/// <summary>Failed durable timers (table <c>timer_failures</c>), one row per (kind, subject).</summary>
internal sealed class TimerFailureConfiguration : IEntityTypeConfiguration<TimerFailure>
{
    public void Configure(EntityTypeBuilder<TimerFailure> b)
    {
        b.ToTable("timer_failures");
        b.HasKey(x => x.Id);
        b.Property(x => x.Kind).HasMaxLength(TimerFailure.MaxKindLength).IsRequired();
        b.Property(x => x.SubjectId).HasMaxLength(TimerFailure.MaxSubjectLength).IsRequired();
        b.Property(x => x.ErrorType).HasMaxLength(TimerFailure.MaxErrorTypeLength).IsRequired();
        b.Property(x => x.Error).HasMaxLength(TimerFailure.MaxErrorLength).IsRequired();
        b.Property(x => x.Instance).HasMaxLength(TimerFailure.MaxInstanceLength).IsRequired();
        b.Property(x => x.RetriedBy).HasMaxLength(OperationsAuditEntry.MaxActorLength);
        b.HasIndex(x => new { x.Kind, x.SubjectId }).IsUnique();
    }
}
