using ApprovalBot.Domain.Breaches;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalBot.Storage.Configurations;

/// <summary>
/// A data-protection incident (issue 10): its row (the contacts and oversight owners snapshotted when it was reported,
/// as JSON text — read and written whole) and its append-only record in <c>data_breach_events</c>, keyed by incident and
/// sequence (the timeline export). <see cref="DataBreach.Version"/> is the concurrency token and the clock timer's
/// fencing token; agreement and state are columns so that "open incidents of an agreement" is a query.
/// </summary>
internal sealed class DataBreachConfiguration : IEntityTypeConfiguration<DataBreach>
{
    public void Configure(EntityTypeBuilder<DataBreach> b)
    {
        b.ToTable("data_breaches");
        b.HasKey(x => x.Id);
        b.Property(x => x.AgreementName).HasMaxLength(Domain.Agreements.Agreement.MaxNameLength).IsRequired();
        b.Property(x => x.Summary).HasMaxLength(DataBreach.MaxSummaryLength).IsRequired();
        b.Property(x => x.ReportedBy).IsRequired();
        // In whole minutes (the agreement's terms allow no finer deadline): one integer column on both providers.
        b.Property(x => x.NotificationDeadline).HasConversion(v => (int)v.TotalMinutes, v => TimeSpan.FromMinutes(v));
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Contacts).HasField("_contacts").HasJsonConversion().IsRequired();
        b.Property(x => x.OversightOwners).HasField("_oversightOwners").HasJsonConversion().IsRequired();
        b.Property(x => x.CloseNote).HasMaxLength(DataBreach.MaxNoteLength);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.Acknowledgements);
        b.Ignore(x => x.NextClockAt);
        b.Ignore(x => x.Reference);
        b.HasIndex(x => new { x.AgreementId, x.State });
        b.HasIndex(x => x.State);

        b.OwnsMany(x => x.Events, e =>
        {
            e.ToTable("data_breach_events");
            e.WithOwner().HasForeignKey("DataBreachId");
            e.HasKey("DataBreachId", nameof(BreachEvent.Sequence));
            e.Property(x => x.Sequence).ValueGeneratedNever();
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
            e.Property(x => x.Contact).HasMaxLength(300);
        });
        b.Navigation(x => x.Events).HasField("_events");
    }
}
