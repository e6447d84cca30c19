using ApprovalBot.Domain.Agreements;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalBot.Storage.Configurations;

/// <summary>An agreement's audit trail (table <c>agreement_events</c>), read per agreement in order.</summary>
internal sealed class AgreementEventConfiguration : IEntityTypeConfiguration<AgreementEvent>
{
    public void Configure(EntityTypeBuilder<AgreementEvent> b)
    {
        b.ToTable("agreement_events");
        b.HasKey(x => x.Id);
        b.HasOne<Agreement>().WithMany().HasForeignKey(x => x.AgreementId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.Action).HasMaxLength(32);
        b.Property(x => x.Code).HasMaxLength(AgreementEvent.MaxCodeLength);
        b.Property(x => x.Detail).HasMaxLength(AgreementEvent.MaxDetailLength);
        b.HasIndex(x => new { x.AgreementId, x.Id });
    }
}
