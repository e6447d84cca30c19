using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.CommunicationPlans;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalBot.Storage.Configurations;

/// <summary>
/// Provider update obligations (table <c>update_obligations</c>): one row per due occurrence of an agreement's update
/// cadence, with the update that met it. Unique by (agreement, due time), so two instances opening the same occurrence
/// cannot both succeed. <see cref="UpdateObligation.Version"/> is the concurrency token and the timers' fencing token.
/// </summary>
internal sealed class UpdateObligationConfiguration : IEntityTypeConfiguration<UpdateObligation>
{
    public void Configure(EntityTypeBuilder<UpdateObligation> b)
    {
        b.ToTable("update_obligations");
        b.HasKey(x => x.Id);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.PostedBy).HasMaxLength(UpdateObligation.MaxPosterLength);
        b.Property(x => x.Text).HasMaxLength(UpdateObligation.MaxTextLength);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.IsOpen);
        b.HasOne<Agreement>().WithMany().HasForeignKey(x => x.AgreementId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.AgreementId, x.DueAt }).IsUnique();
        b.HasIndex(x => new { x.State, x.DueAt });
    }
}
