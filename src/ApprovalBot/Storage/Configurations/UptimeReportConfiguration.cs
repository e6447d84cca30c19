using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Uptime;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalBot.Storage.Configurations;

/// <summary>Uptime reports (table <c>uptime_reports</c>), one row per report, read by agreement and period.</summary>
internal sealed class UptimeReportConfiguration : IEntityTypeConfiguration<UptimeReport>
{
    public void Configure(EntityTypeBuilder<UptimeReport> b)
    {
        b.ToTable("uptime_reports");
        b.HasKey(x => x.Id);
        b.Property(x => x.Service).HasMaxLength(UptimeReport.MaxServiceLength);
        b.Property(x => x.Note).HasMaxLength(UptimeReport.MaxNoteLength);
        b.Property(x => x.ReportedBy).HasMaxLength(UptimeReport.MaxReporterLength).IsRequired();
        b.HasOne<Agreement>().WithMany().HasForeignKey(x => x.AgreementId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.AgreementId, x.From });
        b.HasIndex(x => x.To);
    }
}
