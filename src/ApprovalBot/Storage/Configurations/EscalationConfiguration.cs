using ApprovalBot.Domain.Escalations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalBot.Storage.Configurations;

/// <summary>
/// An escalation: its row (the policy snapshot, hold and resolved periods as JSON text — read and written whole, never
/// queried inside) and its append-only timeline in <c>escalation_timeline</c>, keyed by escalation and sequence.
/// <see cref="Escalation.Version"/> is the concurrency token and the timers' fencing token. State, level and agreement
/// are columns so that "open escalations of an agreement, by level" is a query. The reporter's satisfaction survey
/// answers live in <c>escalation_survey_answers</c>, keyed by escalation and resolution number (one per resolution);
/// <c>survey_asked_at</c> on the row is when the reporter was last sent the survey about it, so "when was this person
/// last asked" is a query over their escalations (indexed by reporter) rather than a table of its own.
/// </summary>
internal sealed class EscalationConfiguration : IEntityTypeConfiguration<Escalation>
{
    public void Configure(EntityTypeBuilder<Escalation> b)
    {
        b.ToTable("escalations");
        b.HasKey(x => x.Id);
        b.Property(x => x.Title).HasMaxLength(Escalation.MaxTitleLength).IsRequired();
        b.Property(x => x.Description).HasMaxLength(Escalation.MaxDescriptionLength).IsRequired();
        b.Property(x => x.Priority).HasConversion<string>().HasMaxLength(8);
        b.Property(x => x.Reporter).IsRequired();
        b.Property(x => x.Level).HasConversion<string>().HasMaxLength(8);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.StateBeforeHold).HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.Policy).HasJsonConversion().IsRequired();
        b.Property(x => x.HoldPeriods).HasField("_holds").HasJsonConversion().IsRequired();
        b.Property(x => x.ResolvedPeriods).HasField("_resolvedPeriods").HasJsonConversion().IsRequired();
        b.Property(x => x.WarningsSent).HasConversion<int>();
        b.Property(x => x.ResolutionNote).HasMaxLength(Escalation.MaxNoteLength);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.CurrentContacts);
        b.Ignore(x => x.LevelChannelId);
        b.Ignore(x => x.IsActive);
        b.Ignore(x => x.ResponseDueAt);
        b.Ignore(x => x.ResolutionNumber);
        b.HasIndex(x => new { x.AgreementId, x.State });
        b.HasIndex(x => new { x.State, x.Level });
        b.HasIndex(x => x.Reporter);
        b.HasIndex(x => x.Assignee);

        b.OwnsMany(x => x.Timeline, t =>
        {
            t.ToTable("escalation_timeline");
            t.WithOwner().HasForeignKey("EscalationId");
            t.HasKey("EscalationId", nameof(TimelineEntry.Sequence));
            t.Property(x => x.Sequence).ValueGeneratedNever();
            t.Ignore(x => x.Id);
            t.Ignore(x => x.Who);
            t.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
            t.Property(x => x.Level).HasConversion<string>().HasMaxLength(8);
            t.Property(x => x.Reason).HasMaxLength(Escalation.MaxNoteLength);
            t.HasIndex(x => x.At);
        });

        b.OwnsMany(x => x.SurveyAnswers, a =>
        {
            a.ToTable("escalation_survey_answers");
            a.WithOwner().HasForeignKey("EscalationId");
            a.HasKey("EscalationId", nameof(SurveyAnswer.Resolution));
            a.Property(x => x.Resolution).ValueGeneratedNever();
            a.Property(x => x.Comment).HasMaxLength(Escalation.MaxSurveyCommentLength);
            a.HasIndex(x => x.At);
        });
        b.Navigation(x => x.SurveyAnswers).HasField("_surveyAnswers");
    }
}
