using ApprovalBot.Teams.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalBot.Storage.Configurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("outbox_messages");
        b.HasKey(x => x.Id);
        b.Property(x => x.DedupeKey).HasMaxLength(256).IsRequired();
        b.Property(x => x.Operation).HasConversion<int>();
        b.Property(x => x.Status).HasConversion<int>();
        b.Property(x => x.ServiceUrl).HasMaxLength(1024).IsRequired();
        b.Property(x => x.ConversationId).HasMaxLength(512);
        b.Property(x => x.TargetActivityId).HasMaxLength(256);
        b.Property(x => x.RecipientUserId).HasMaxLength(256);
        b.Property(x => x.TenantId).HasMaxLength(128);
        b.Property(x => x.ActivityJson).IsRequired();
        b.Property(x => x.CardSubject).HasMaxLength(256);
        b.Property(x => x.CardViewer).HasMaxLength(200);
        b.Ignore(x => x.IsWaitingForPost);
        b.Property(x => x.GiveUpNoticeJson).HasMaxLength(4000);
        b.Property(x => x.LastResult).HasMaxLength(64);
        b.Property(x => x.LastError).HasMaxLength(2048);
        b.Property(x => x.SentActivityId).HasMaxLength(256);
        b.Property(x => x.ClaimedBy).HasMaxLength(128);
        b.Property(x => x.Batch).HasMaxLength(OutboxMessage.MaxBatchLength);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.DedupeKey).IsUnique();
        b.HasIndex(x => new { x.Status, x.NextAttemptAt });
        b.HasIndex(x => x.AfterMessageId);
        b.HasIndex(x => new { x.CardSubject, x.Status });
        b.HasIndex(x => new { x.Batch, x.Status });
    }
}
