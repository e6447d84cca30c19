using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalBot.Storage.Configurations;

internal sealed class ConversationReferenceConfiguration : IEntityTypeConfiguration<ConversationReference>
{
    public void Configure(EntityTypeBuilder<ConversationReference> b)
    {
        b.ToTable("conversation_references");
        b.HasKey(x => x.Id);
        b.Property(x => x.ConversationId).HasMaxLength(512).IsRequired();
        b.Property(x => x.ConversationType).HasMaxLength(32).IsRequired();
        b.Property(x => x.ServiceUrl).HasMaxLength(1024).IsRequired();
        b.Property(x => x.ChannelId).HasMaxLength(64).IsRequired();
        b.Property(x => x.TenantId).HasMaxLength(128);
        b.Property(x => x.BotId).HasMaxLength(256);
        b.Property(x => x.UserId).HasMaxLength(256);
        b.Property(x => x.UserAadObjectId).HasMaxLength(128);
        b.Property(x => x.UserName).HasMaxLength(256);
        b.Property(x => x.TeamId).HasMaxLength(512);
        b.Property(x => x.TeamName).HasMaxLength(256);
        b.Property(x => x.TeamsChannelId).HasMaxLength(512);
        b.Property(x => x.TeamsChannelName).HasMaxLength(256);
        b.Property(x => x.UnreachableReason).HasMaxLength(256);
        b.HasIndex(x => x.ConversationId).IsUnique();
        b.HasIndex(x => x.UserAadObjectId);
        b.HasIndex(x => x.UserId);
        b.HasIndex(x => x.UpdatedAt); // the most recent endpoint, for opening a chat with someone who has none (TeamsPeople.ReachAsync)
    }
}
