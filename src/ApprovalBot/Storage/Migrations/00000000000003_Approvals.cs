using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ApprovalBot.Storage.Migrations;

/// <summary>
/// The approval domain: agreements with their revisions (terms as JSON text), approval requests with their stage runs,
/// seats and append-only audit trail.
/// </summary>
[DbContext(typeof(BotDbContext))]
[Migration(Id)]
internal sealed class Approvals : Migration
{
    public const string Id = "00000000000003_Approvals";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var instant = StorageProviders.InstantColumnType(migrationBuilder.ActiveProvider);

        migrationBuilder.CreateTable(
            name: "agreements",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                name = table.Column<string>(maxLength: 200, nullable: false),
                created_by = table.Column<string>(maxLength: 200, nullable: false),
                created_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                status = table.Column<string>(maxLength: 32, nullable: false),
                active_revision_number = table.Column<int>(nullable: true),
                activated_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                expired_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                terminated_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                terminated_by = table.Column<string>(maxLength: 200, nullable: true),
                termination_reason = table.Column<string>(maxLength: 2000, nullable: true),
                version = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_agreements", x => x.id));

        migrationBuilder.CreateIndex(name: "ix_agreements_name", table: "agreements", column: "name");
        migrationBuilder.CreateIndex(name: "ix_agreements_status", table: "agreements", column: "status");

        migrationBuilder.CreateTable(
            name: "agreement_revisions",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                agreement_id = table.Column<long>(nullable: false),
                number = table.Column<int>(nullable: false),
                terms = table.Column<string>(nullable: false),
                created_by = table.Column<string>(maxLength: 200, nullable: false),
                created_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                submitted_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                submitted_by = table.Column<string>(maxLength: 200, nullable: true),
                outcome = table.Column<string>(maxLength: 32, nullable: true),
                outcome_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                decision = table.Column<string>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_agreement_revisions", x => x.id);
                table.ForeignKey(
                    name: "fk_agreement_revisions_agreements_agreement_id",
                    column: x => x.agreement_id,
                    principalTable: "agreements",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(
            name: "ix_agreement_revisions_agreement_id_number",
            table: "agreement_revisions",
            columns: ["agreement_id", "number"],
            unique: true);

        migrationBuilder.CreateTable(
            name: "approval_requests",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                title = table.Column<string>(maxLength: 200, nullable: false),
                details = table.Column<string>(maxLength: 4000, nullable: false),
                links = table.Column<string>(nullable: false),
                requester = table.Column<string>(maxLength: 200, nullable: false),
                subject_kind = table.Column<string>(maxLength: 32, nullable: false),
                subject_id = table.Column<long>(nullable: true),
                subject_revision = table.Column<int>(nullable: false),
                subject_reference = table.Column<string>(maxLength: 200, nullable: true),
                flow_name = table.Column<string>(maxLength: 100, nullable: false),
                stages = table.Column<string>(nullable: false),
                status = table.Column<string>(maxLength: 32, nullable: false),
                revision = table.Column<int>(nullable: false),
                current_stage_number = table.Column<int>(nullable: false),
                submitted_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                completed_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                blocked_reason = table.Column<string>(nullable: true),
                outcome = table.Column<string>(nullable: true),
                version = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_approval_requests", x => x.id));

        migrationBuilder.CreateIndex(name: "ix_approval_requests_requester", table: "approval_requests", column: "requester");
        migrationBuilder.CreateIndex(name: "ix_approval_requests_status", table: "approval_requests", column: "status");

        migrationBuilder.CreateTable(
            name: "approval_audit",
            columns: table => new
            {
                approval_request_id = table.Column<long>(nullable: false),
                sequence = table.Column<int>(nullable: false),
                at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                actor = table.Column<string>(maxLength: 200, nullable: true),
                on_behalf_of = table.Column<string>(maxLength: 200, nullable: true),
                action = table.Column<string>(maxLength: 32, nullable: false),
                outcome = table.Column<string>(maxLength: 32, nullable: false),
                refusal = table.Column<string>(maxLength: 32, nullable: true),
                detail = table.Column<string>(nullable: true),
                comment = table.Column<string>(maxLength: 2000, nullable: true),
                revision = table.Column<int>(nullable: false),
                stage_number = table.Column<int>(nullable: true),
                stage_name = table.Column<string>(maxLength: 100, nullable: true),
                delegate_to = table.Column<string>(maxLength: 200, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_approval_audit", x => new { x.approval_request_id, x.sequence });
                table.ForeignKey(
                    name: "fk_approval_audit_approval_requests_approval_request_id",
                    column: x => x.approval_request_id,
                    principalTable: "approval_requests",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "ix_approval_audit_actor", table: "approval_audit", column: "actor");
        migrationBuilder.CreateIndex(name: "ix_approval_audit_at", table: "approval_audit", column: "at");

        migrationBuilder.CreateTable(
            name: "approval_stage_runs",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                approval_request_id = table.Column<long>(nullable: false),
                revision = table.Column<int>(nullable: false),
                stage_number = table.Column<int>(nullable: false),
                stage_name = table.Column<string>(maxLength: 100, nullable: false),
                rule = table.Column<string>(nullable: false),
                status = table.Column<string>(maxLength: 32, nullable: false),
                started_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                due_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                completed_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                reminder_times = table.Column<string>(nullable: false),
                reminders_sent = table.Column<int>(nullable: false),
                escalated_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_approval_stage_runs", x => x.id);
                table.ForeignKey(
                    name: "fk_approval_stage_runs_approval_requests_approval_request_id",
                    column: x => x.approval_request_id,
                    principalTable: "approval_requests",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(
            name: "ix_approval_stage_runs_approval_request_id",
            table: "approval_stage_runs",
            column: "approval_request_id");
        migrationBuilder.CreateIndex(
            name: "ix_approval_stage_runs_status_due_at",
            table: "approval_stage_runs",
            columns: ["status", "due_at"]);

        migrationBuilder.CreateTable(
            name: "approval_stage_seats",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                stage_run_id = table.Column<long>(nullable: false),
                owner = table.Column<string>(maxLength: 200, nullable: false),
                @delegate = table.Column<string>(maxLength: 200, nullable: true),
                decision = table.Column<string>(maxLength: 32, nullable: true),
                decided_by = table.Column<string>(maxLength: 200, nullable: true),
                decided_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                comment = table.Column<string>(maxLength: 2000, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_approval_stage_seats", x => x.id);
                table.ForeignKey(
                    name: "fk_approval_stage_seats_approval_stage_runs_stage_run_id",
                    column: x => x.stage_run_id,
                    principalTable: "approval_stage_runs",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "ix_approval_stage_seats_delegate", table: "approval_stage_seats", column: "delegate");
        migrationBuilder.CreateIndex(name: "ix_approval_stage_seats_owner", table: "approval_stage_seats", column: "owner");
        migrationBuilder.CreateIndex(name: "ix_approval_stage_seats_stage_run_id", table: "approval_stage_seats", column: "stage_run_id");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "approval_stage_seats");
        migrationBuilder.DropTable(name: "approval_stage_runs");
        migrationBuilder.DropTable(name: "approval_audit");
        migrationBuilder.DropTable(name: "approval_requests");
        migrationBuilder.DropTable(name: "agreement_revisions");
        migrationBuilder.DropTable(name: "agreements");
    }
}
