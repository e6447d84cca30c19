using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ApprovalBot.Storage.Migrations;

/// <summary>Support escalations against Active agreements, with their policy snapshot and append-only timeline.</summary>
[DbContext(typeof(BotDbContext))]
[Migration(Id)]
internal sealed class Escalations : Migration
{
    public const string Id = "00000000000005_Escalations";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var instant = StorageProviders.InstantColumnType(migrationBuilder.ActiveProvider);

        migrationBuilder.CreateTable(
            name: "escalations",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                agreement_id = table.Column<long>(nullable: false),
                title = table.Column<string>(maxLength: 200, nullable: false),
                description = table.Column<string>(maxLength: 4000, nullable: false),
                priority = table.Column<string>(maxLength: 8, nullable: false),
                reporter = table.Column<string>(maxLength: 200, nullable: false),
                assignee = table.Column<string>(maxLength: 200, nullable: true),
                level = table.Column<string>(maxLength: 8, nullable: false),
                state = table.Column<string>(maxLength: 32, nullable: false),
                policy = table.Column<string>(nullable: false),
                opened_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                acknowledged_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                acknowledged_by = table.Column<string>(maxLength: 200, nullable: true),
                resolved_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                resolved_by = table.Column<string>(maxLength: 200, nullable: true),
                resolution_note = table.Column<string>(maxLength: 4000, nullable: true),
                closed_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                hold_periods = table.Column<string>(nullable: false),
                resolved_periods = table.Column<string>(nullable: false),
                state_before_hold = table.Column<string>(maxLength: 32, nullable: true),
                level_started_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                warnings_sent = table.Column<int>(nullable: false),
                response_breached_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                resolution_breached_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                reopen_count = table.Column<int>(nullable: false),
                version = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_escalations", x => x.id));

        migrationBuilder.CreateIndex(name: "ix_escalations_agreement_id_state", table: "escalations", columns: ["agreement_id", "state"]);
        migrationBuilder.CreateIndex(name: "ix_escalations_state_level", table: "escalations", columns: ["state", "level"]);
        migrationBuilder.CreateIndex(name: "ix_escalations_reporter", table: "escalations", column: "reporter");
        migrationBuilder.CreateIndex(name: "ix_escalations_assignee", table: "escalations", column: "assignee");

        migrationBuilder.CreateTable(
            name: "escalation_timeline",
            columns: table => new
            {
                escalation_id = table.Column<long>(nullable: false),
                sequence = table.Column<int>(nullable: false),
                at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                actor = table.Column<string>(maxLength: 200, nullable: true),
                kind = table.Column<string>(maxLength: 32, nullable: false),
                level = table.Column<string>(maxLength: 8, nullable: false),
                reason = table.Column<string>(maxLength: 4000, nullable: true),
                detail = table.Column<string>(nullable: true),
                percent = table.Column<int>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_escalation_timeline", x => new { x.escalation_id, x.sequence });
                table.ForeignKey(
                    name: "fk_escalation_timeline_escalations_escalation_id",
                    column: x => x.escalation_id,
                    principalTable: "escalations",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "ix_escalation_timeline_at", table: "escalation_timeline", column: "at");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "escalation_timeline");
        migrationBuilder.DropTable(name: "escalations");
    }
}
