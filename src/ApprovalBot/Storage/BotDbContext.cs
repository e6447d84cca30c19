using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Breaches;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.CommunicationPlans;
using ApprovalBot.Domain.Digests;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Domain.Uptime;
using ApprovalBot.Operations;
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
    public DbSet<Agreement> Agreements => Set<Agreement>();
    public DbSet<AgreementAnnouncement> AgreementAnnouncements => Set<AgreementAnnouncement>();
    public DbSet<AgreementEvent> AgreementEvents => Set<AgreementEvent>();
    public DbSet<ApprovalRequest> ApprovalRequests => Set<ApprovalRequest>();

    /// <summary>
    /// Approval requests to be loaded whole (stage runs with their seats, the audit trail): use this, not
    /// <see cref="ApprovalRequests"/>, to read them. On SQLite the one statement EF writes for the nested owned collections
    /// LEFT JOINs a subquery that is itself a join, which SQLite cannot flatten: it materialised every stage run and seat
    /// of every request on each load (4 ms a card action at 2,400 pending requests, 30 at 7,400). There the load is split
    /// into one indexed statement per collection (microseconds at any size); PostgreSQL plans the single statement well.
    /// A commit between the statements cannot slip through: every change bumps the request's version, the concurrency
    /// token, so a save from a torn load fails and is retried like any concurrent change.
    /// </summary>
    public IQueryable<ApprovalRequest> WholeApprovalRequests => Database.IsSqlite() ? ApprovalRequests.AsSplitQuery() : ApprovalRequests;
    public DbSet<Escalation> Escalations => Set<Escalation>();
    public DbSet<DataBreach> DataBreaches => Set<DataBreach>();
    public DbSet<SigningMeeting> SigningMeetings => Set<SigningMeeting>();
    public DbSet<UptimeReport> UptimeReports => Set<UptimeReport>();
    public DbSet<UpdateObligation> UpdateObligations => Set<UpdateObligation>();
    public DbSet<DigestSubscription> DigestSubscriptions => Set<DigestSubscription>();
    public DbSet<DigestDelivery> DigestDeliveries => Set<DigestDelivery>();
    public DbSet<OperationsAuditEntry> OperationsAudit => Set<OperationsAuditEntry>();
    public DbSet<TimerFailure> TimerFailures => Set<TimerFailure>();
    public DbSet<BotInstance> BotInstances => Set<BotInstance>();
    public DbSet<DocumentContent> DocumentContents => Set<DocumentContent>();

    /// <inheritdoc cref="SaveChangesAsync(bool, CancellationToken)"/>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        catch (DbUpdateException e) when (IsLostAuditRace(e))
        {
            throw AuditRace(e);
        }
    }

    /// <summary>
    /// Saves, reporting a lost race to append to an approval's audit trail or an escalation's timeline, or to open the
    /// same provider update obligation (one per agreement and due time), as a <see cref="DbUpdateConcurrencyException"/>.
    /// Two saves from the same loaded request append the same audit sequence numbers; which of "stale version" and
    /// "sequence taken" the database notices first depends on statement order, and a refused click appends without
    /// moving the version at all. Either way the caller's answer is the same (reload, decide again), so it gets one
    /// exception type for it.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch (DbUpdateException e) when (IsLostAuditRace(e))
        {
            throw AuditRace(e);
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BotDbContext).Assembly);
        StorageNaming.ApplySnakeCase(modelBuilder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<PersonId>().HaveConversion<PersonIdConverter>().HaveMaxLength(PersonId.MaxLength);
        configurationBuilder.Properties<PersonId?>().HaveConversion<PersonIdConverter>().HaveMaxLength(PersonId.MaxLength);
        StorageProviders.ConfigureConventions(Database.ProviderName, configurationBuilder);
    }

    private const string AuditPrimaryKey = "pk_approval_audit";
    private const string TimelinePrimaryKey = "pk_escalation_timeline";
    private const string BreachEventsPrimaryKey = "pk_data_breach_events";
    private const string ObligationDueIndex = "ix_update_obligations_agreement_id_due_at";

    private static bool IsLostAuditRace(DbUpdateException e) =>
        e is not DbUpdateConcurrencyException
        && (StorageProviders.IsUniqueViolation(e, "approval_audit", AuditPrimaryKey)
            || StorageProviders.IsUniqueViolation(e, "escalation_timeline", TimelinePrimaryKey)
            || StorageProviders.IsUniqueViolation(e, "data_breach_events", BreachEventsPrimaryKey)
            || StorageProviders.IsUniqueViolation(e, "update_obligations", ObligationDueIndex));

    private static DbUpdateConcurrencyException AuditRace(DbUpdateException e) =>
        new("The approval request, escalation, data breach or update obligation was changed by someone else (its audit trail or timeline grew, or the next obligation was opened) since it was loaded; reload it and try again.", e);
}
