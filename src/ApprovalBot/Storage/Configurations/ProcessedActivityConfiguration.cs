using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalBot.Storage.Configurations;

internal sealed class ProcessedActivityConfiguration : IEntityTypeConfiguration<ProcessedActivity>
{
    public void Configure(EntityTypeBuilder<ProcessedActivity> b)
    {
        b.ToTable("processed_activities");
        b.HasKey(x => x.Id);
        b.Property(x => x.ConversationId).HasMaxLength(512).IsRequired();
        b.Property(x => x.ActivityId).HasMaxLength(256).IsRequired();
        b.Property(x => x.ActivityType).HasMaxLength(64).IsRequired();
        b.HasIndex(x => new { x.ConversationId, x.ActivityId }).IsUnique();
        b.HasIndex(x => x.ReceivedAt);
    }
}
