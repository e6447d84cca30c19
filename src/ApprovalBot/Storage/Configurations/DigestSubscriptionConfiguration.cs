using ApprovalBot.Domain.Digests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalBot.Storage.Configurations;

/// <summary>
/// Digest subscriptions (table <c>digest_subscriptions</c>): one row per recipient (unique kind + id), the schedule as
/// columns, <see cref="DigestSubscription.Version"/> as the concurrency token and the digest timer's fencing token.
/// </summary>
internal sealed class DigestSubscriptionConfiguration : IEntityTypeConfiguration<DigestSubscription>
{
    public void Configure(EntityTypeBuilder<DigestSubscription> b)
    {
        b.ToTable("digest_subscriptions");
        b.HasKey(x => x.Id);
        b.Property(x => x.RecipientKind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.RecipientId).HasMaxLength(DigestSubscription.MaxRecipientLength).IsRequired();
        b.Property(x => x.Subscriber).IsRequired();
        b.Property(x => x.Frequency).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Day).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.TimeZoneId).HasMaxLength(DigestSubscription.MaxZoneLength).IsRequired();
        b.Property(x => x.ZoneSource).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.Schedule);
        b.Ignore(x => x.RecipientPerson);
        b.HasIndex(x => new { x.RecipientKind, x.RecipientId }).IsUnique();
        b.HasIndex(x => new { x.IsActive, x.NextDueAt });
    }
}
