using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ApprovalBot.Storage.Migrations;

/// <summary>
/// Uptime reported through the API: one row per report (agreement, optional service, period, percentage, who and when),
/// counted in the uptime KPI.
/// </summary>
[DbContext(typeof(BotDbContext))]
[Migration(Id)]
internal sealed class UptimeReports : Migration
{
    public const string Id = "00000000000007_UptimeReports";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var instant = StorageProviders.InstantColumnType(migrationBuilder.ActiveProvider);

        migrationBuilder.CreateTable(
            name: "uptime_reports",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                agreement_id = table.Column<long>(nullable: false),
                service = table.Column<string>(maxLength: 200, nullable: true),
                from = table.Column<DateTimeOffset>(type: instant, nullable: false),
                to = table.Column<DateTimeOffset>(type: instant, nullable: false),
                percent = table.Column<double>(nullable: false),
                note = table.Column<string>(maxLength: 2000, nullable: true),
                reported_by = table.Column<string>(maxLength: 200, nullable: false),
                reported_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_uptime_reports", x => x.id);
                table.ForeignKey(
                    name: "fk_uptime_reports_agreements_agreement_id",
                    column: x => x.agreement_id,
                    principalTable: "agreements",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "ix_uptime_reports_agreement_id_from", table: "uptime_reports", columns: ["agreement_id", "from"]);
        migrationBuilder.CreateIndex(name: "ix_uptime_reports_to", table: "uptime_reports", column: "to");
    }

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropTable(name: "uptime_reports");
}
