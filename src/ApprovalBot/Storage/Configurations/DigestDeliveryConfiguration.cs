using ApprovalBot.Domain.Digests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalBot.Storage.Configurations;

/// <summary>
/// Delivered digests (table <c>digest_deliveries</c>), unique per (subscription, period): the guard that makes a
/// duplicate fire, a restart mid-send or a second instance deliver a period once. Acknowledgements live in
/// <c>digest_acknowledgements</c>, keyed by delivery and person (a second click is no new row).
/// </summary>
internal sealed class DigestDeliveryConfiguration : IEntityTypeConfiguration<DigestDelivery>
{
    public void Configure(EntityTypeBuilder<DigestDelivery> b)
    {
        b.ToTable("digest_deliveries");
        b.HasKey(x => x.Id);
        b.Property(x => x.RecipientKind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.RecipientId).HasMaxLength(DigestSubscription.MaxRecipientLength).IsRequired();
        b.Property(x => x.Subscriber).IsRequired();
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Note).HasMaxLength(DigestDelivery.MaxNoteLength);
        b.HasOne<DigestSubscription>().WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.SubscriptionId, x.Period }).IsUnique();
        b.HasIndex(x => new { x.RecipientKind, x.RecipientId, x.Period });

        b.OwnsMany(x => x.Acknowledgements, a =>
        {
            a.ToTable("digest_acknowledgements");
            a.WithOwner().HasForeignKey("DeliveryId");
            a.HasKey("DeliveryId", nameof(DigestAcknowledgement.By));
            a.Property(x => x.By).IsRequired();
        });
        b.Navigation(x => x.Acknowledgements).HasField("_acknowledgements");
    }
}
