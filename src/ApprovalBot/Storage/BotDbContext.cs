using ApprovalBot.Teams;
using ApprovalBot.Teams.Outbox;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Storage;

/// <summary>
/// The one EF Core context. Features use it directly (architecture rule 7); entity mappings live in
/// <c>Storage/Configurations</c>, one class per entity; provider differences live in <see cref="StorageProviders"/>.
/// </summary>
public sealed class BotDbContext(DbContextOptions<BotDbContext> options) : DbContext(options)
{
    public DbSet<ConversationReference> ConversationReferences => Set<ConversationReference>();
    public DbSet<ProcessedActivity> ProcessedActivities => Set<ProcessedActivity>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<CardCopy> CardCopies => Set<CardCopy>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BotDbContext).Assembly);
        StorageNaming.ApplySnakeCase(modelBuilder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        StorageProviders.ConfigureConventions(Database.ProviderName, configurationBuilder);
}
