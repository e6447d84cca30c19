using ApprovalBot.Teams.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalBot.Storage.Configurations;

internal sealed class CardCopyConfiguration : IEntityTypeConfiguration<CardCopy>
{
    public void Configure(EntityTypeBuilder<CardCopy> b)
    {
        b.ToTable("card_copies");
        b.HasKey(x => x.Id);
        b.Property(x => x.Subject).HasMaxLength(256).IsRequired();
        b.Property(x => x.ServiceUrl).HasMaxLength(1024).IsRequired();
        b.Property(x => x.ConversationId).HasMaxLength(512).IsRequired();
        b.Property(x => x.ActivityId).HasMaxLength(256).IsRequired();
        b.Property(x => x.Viewer).HasMaxLength(200);
        b.HasIndex(x => x.Subject);
        b.HasIndex(x => new { x.ConversationId, x.ActivityId }).IsUnique();
    }
}
