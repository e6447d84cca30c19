using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ApprovalBot.Storage.Migrations;

/// <summary>
/// Provider update obligations of the communication plans: one row per due occurrence of an agreement's update cadence
/// (due, reminded, overdue, escalated, posted or missed), counted in the cadence compliance KPI.
/// </summary>
[DbContext(typeof(BotDbContext))]
[Migration(Id)]
internal sealed class CommunicationPlans : Migration
{
    public const string Id = "00000000000008_CommunicationPlans";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var instant = StorageProviders.InstantColumnType(migrationBuilder.ActiveProvider);

        migrationBuilder.CreateTable(
            name: "update_obligations",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                agreement_id = table.Column<long>(nullable: false),
                opens_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                due_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                closes_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                reminder_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                escalate_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                state = table.Column<string>(maxLength: 16, nullable: false),
                posted_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                posted_by = table.Column<string>(maxLength: 200, nullable: true),
                text = table.Column<string>(maxLength: 2000, nullable: true),
                reminded_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                overdue_notice_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                escalated_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                closed_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                version = table.Column<long>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_update_obligations", x => x.id);
                table.ForeignKey(
                    name: "fk_update_obligations_agreements_agreement_id",
                    column: x => x.agreement_id,
                    principalTable: "agreements",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "ix_update_obligations_agreement_id_due_at", table: "update_obligations", columns: ["agreement_id", "due_at"], unique: true);
        migrationBuilder.CreateIndex(name: "ix_update_obligations_state_due_at", table: "update_obligations", columns: ["state", "due_at"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropTable(name: "update_obligations");
}
