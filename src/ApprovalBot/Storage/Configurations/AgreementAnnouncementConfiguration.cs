using ApprovalBot.Domain.Agreements;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalBot.Storage.Configurations;

/// <summary>
/// Announcements of agreements coming into force (table <c>announcements</c>), one per (agreement, revision):
/// the guard that makes a retried activation announce once. Their channels live in <c>announcement_channels</c>
/// and their acknowledgements in <c>announcement_acks</c>, keyed by announcement and person (a second click is
/// no new row).
/// </summary>
internal sealed class AgreementAnnouncementConfiguration : IEntityTypeConfiguration<AgreementAnnouncement>
{
    public void Configure(EntityTypeBuilder<AgreementAnnouncement> b)
    {
        b.ToTable("announcements");
        b.HasKey(x => x.Id);
        b.HasOne<Agreement>().WithMany().HasForeignKey(x => x.AgreementId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.AgreementId, x.Revision }).IsUnique();
        b.Property(x => x.Version).IsConcurrencyToken();

        b.OwnsMany(x => x.Channels, c =>
        {
            c.ToTable("announcement_channels");
            c.WithOwner().HasForeignKey("AnnouncementId");
            c.HasKey("AnnouncementId", nameof(AnnouncementChannel.Position));
            c.Property(x => x.Position).ValueGeneratedNever();   // set by the domain (the configured order), not a sequence
            c.Property(x => x.Department).HasMaxLength(AgreementAnnouncement.MaxDepartmentLength).IsRequired();
            c.Property(x => x.ChannelId).HasMaxLength(AgreementAnnouncement.MaxChannelIdLength).IsRequired();
            c.Property(x => x.NotReachedReason).HasMaxLength(AgreementAnnouncement.MaxReasonLength);
            c.Ignore(x => x.Reached);
        });
        b.Navigation(x => x.Channels).HasField("_channels");

        b.OwnsMany(x => x.Acknowledgements, a =>
        {
            a.ToTable("announcement_acks");
            a.WithOwner().HasForeignKey("AnnouncementId");
            a.HasKey("AnnouncementId", nameof(AnnouncementAcknowledgement.By));
            a.Property(x => x.By).IsRequired();
            a.Property(x => x.Department).HasMaxLength(AgreementAnnouncement.MaxDepartmentLength).IsRequired();
            a.Property(x => x.ChannelId).HasMaxLength(AgreementAnnouncement.MaxChannelIdLength).IsRequired();
        });
        b.Navigation(x => x.Acknowledgements).HasField("_acknowledgements");
    }
}
