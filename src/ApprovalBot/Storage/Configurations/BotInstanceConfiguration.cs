using ApprovalBot.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalBot.Storage.Configurations;

/// <summary>Running bot instances and their versions (table <c>bot_instances</c>), keyed by scheduler instance id.</summary>
internal sealed class BotInstanceConfiguration : IEntityTypeConfiguration<BotInstance>
{
    public void Configure(EntityTypeBuilder<BotInstance> b)
    {
        b.ToTable("bot_instances");
        b.HasKey(x => x.InstanceId);
        b.Property(x => x.InstanceId).HasMaxLength(BotInstance.MaxIdLength);
        b.Property(x => x.Version).HasMaxLength(BotInstance.MaxVersionLength).IsRequired();
        b.Property(x => x.Machine).HasMaxLength(BotInstance.MaxMachineLength).IsRequired();
    }
}
