using ApprovalBot.Domain.Agreements;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalBot.Storage.Configurations;

/// <summary>
/// A signing meeting (issue 10, migration 0020): one row per scheduling, its attendees and reminder lead times as JSON
/// text (read and written whole), the calendar event's state in Graph mode. <see cref="SigningMeeting.Version"/> is the
/// concurrency token and the fencing token of its reminder and calendar timers; agreement and state are columns so that
/// "the scheduled meeting of an agreement" is a query.
/// </summary>
internal sealed class SigningMeetingConfiguration : IEntityTypeConfiguration<SigningMeeting>
{
    public void Configure(EntityTypeBuilder<SigningMeeting> b)
    {
        b.ToTable("signing_meetings");
        b.HasKey(x => x.Id);
        b.Property(x => x.AgreementName).HasMaxLength(Agreement.MaxNameLength).IsRequired();
        b.Property(x => x.Sha256).HasMaxLength(64).IsRequired();
        b.Property(x => x.DocumentName).HasMaxLength(255);
        // In whole minutes (the domain allows no finer duration): one integer column on both providers.
        b.Property(x => x.Duration).HasConversion(v => (int)v.TotalMinutes, v => TimeSpan.FromMinutes(v));
        b.Property(x => x.TimeZoneId).HasMaxLength(64).IsRequired();
        b.Property(x => x.Notes).HasMaxLength(SigningMeeting.MaxNotesLength);
        b.Property(x => x.Attendees).HasField("_attendees").HasJsonConversion().IsRequired();
        b.Property(x => x.ReminderLeads).HasField("_reminderLeads").HasJsonConversion().IsRequired();
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.EndReason).HasMaxLength(SigningMeeting.MaxNotesLength);
        b.Property(x => x.Organizer).HasMaxLength(256);
        b.Property(x => x.CalendarEventId).HasMaxLength(512);
        b.Property(x => x.JoinUrl).HasMaxLength(2048);
        b.Property(x => x.CalendarError).HasMaxLength(SigningMeeting.MaxErrorLength);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.EndsAt);
        b.Ignore(x => x.Zone);
        b.Ignore(x => x.Reminders);
        b.Ignore(x => x.NextReminderAt);
        b.Ignore(x => x.PendingCalendarWork);
        b.Ignore(x => x.NextCalendarAt);
        b.HasIndex(x => new { x.AgreementId, x.State });
        b.HasIndex(x => x.State);
    }
}
