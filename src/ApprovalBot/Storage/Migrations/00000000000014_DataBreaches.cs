using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ApprovalBot.Storage.Migrations;

/// <summary>
/// Data-protection incidents (issue 10): one row per breach reported against an agreement, with its notification
/// clock and the contacts it snapshotted, and its append-only record (<c>data_breach_events</c>: opened, notified,
/// unreachable, acknowledged, warnings, deadline, closed), which the timeline export reads. The agreements' own
/// data-protection terms need no column: they live in the revision's terms JSON, absent in older rows.
/// </summary>
[DbContext(typeof(BotDbContext))]
[Migration(Id)]
internal sealed class DataBreaches : Migration
{
    public const string Id = "00000000000014_DataBreaches";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var instant = StorageProviders.InstantColumnType(migrationBuilder.ActiveProvider);

        migrationBuilder.CreateTable(
            name: "data_breaches",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                agreement_id = table.Column<long>(nullable: false),
                agreement_name = table.Column<string>(maxLength: 200, nullable: false),
                agreement_revision = table.Column<int>(nullable: false),
                summary = table.Column<string>(maxLength: 1000, nullable: false),
                reported_by = table.Column<string>(maxLength: 200, nullable: false),
                reported_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                notification_deadline = table.Column<int>(nullable: false), // whole minutes
                deadline_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                contacts = table.Column<string>(nullable: false),
                oversight_owners = table.Column<string>(nullable: false),
                state = table.Column<string>(maxLength: 16, nullable: false),
                clock_percent = table.Column<int>(nullable: false),
                closed_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                closed_by = table.Column<string>(maxLength: 200, nullable: true),
                close_note = table.Column<string>(maxLength: 2000, nullable: true),
                version = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_data_breaches", x => x.id));

        migrationBuilder.CreateIndex(name: "ix_data_breaches_agreement_id_state", table: "data_breaches", columns: ["agreement_id", "state"]);
        migrationBuilder.CreateIndex(name: "ix_data_breaches_state", table: "data_breaches", column: "state");

        migrationBuilder.CreateTable(
            name: "data_breach_events",
            columns: table => new
            {
                data_breach_id = table.Column<long>(nullable: false),
                sequence = table.Column<int>(nullable: false),
                at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                kind = table.Column<string>(maxLength: 32, nullable: false),
                actor = table.Column<string>(maxLength: 200, nullable: true),
                contact = table.Column<string>(maxLength: 300, nullable: true),
                detail = table.Column<string>(nullable: true),
                percent = table.Column<int>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_data_breach_events", x => new { x.data_breach_id, x.sequence });
                table.ForeignKey(
                    name: "fk_data_breach_events_data_breaches_data_breach_id",
                    column: x => x.data_breach_id,
                    principalTable: "data_breaches",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "data_breach_events");
        migrationBuilder.DropTable(name: "data_breaches");
    }
}
