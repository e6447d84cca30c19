using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ApprovalBot.Storage.Migrations;

/// <summary>
/// The operations page (issue 11): the operators' audit trail, failed durable timers with their error summary, the
/// running instances and their versions, and a batch key on outbox messages, so the messages one fire stages for many
/// recipients (a digest's period) can be followed as one send.
/// </summary>
[DbContext(typeof(BotDbContext))]
[Migration(Id)]
internal sealed class Operations : Migration
{
    public const string Id = "00000000000011_Operations";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var instant = StorageProviders.InstantColumnType(migrationBuilder.ActiveProvider);

        migrationBuilder.AddColumn<string>(name: "batch", table: "outbox_messages", maxLength: 128, nullable: true);
        migrationBuilder.CreateIndex(name: "ix_outbox_messages_batch_status", table: "outbox_messages", columns: ["batch", "status"]);

        migrationBuilder.CreateTable(
            name: "operations_audit",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                actor = table.Column<string>(maxLength: 256, nullable: false),
                action = table.Column<string>(maxLength: 32, nullable: false),
                target = table.Column<string>(maxLength: 256, nullable: false),
                outcome = table.Column<string>(maxLength: 16, nullable: false),
                detail = table.Column<string>(maxLength: 1024, nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_operations_audit", x => x.id));
        migrationBuilder.CreateIndex(name: "ix_operations_audit_at", table: "operations_audit", column: "at");

        migrationBuilder.CreateTable(
            name: "timer_failures",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                kind = table.Column<string>(maxLength: 150, nullable: false),
                subject_id = table.Column<string>(maxLength: 150, nullable: false),
                attempt = table.Column<int>(nullable: false),
                failures = table.Column<int>(nullable: false),
                due_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                failed_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                error_type = table.Column<string>(maxLength: 256, nullable: false),
                error = table.Column<string>(maxLength: 1024, nullable: false),
                instance = table.Column<string>(maxLength: 200, nullable: false),
                retried_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                retried_by = table.Column<string>(maxLength: 256, nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_timer_failures", x => x.id));
        migrationBuilder.CreateIndex(name: "ix_timer_failures_kind_subject_id", table: "timer_failures", columns: ["kind", "subject_id"], unique: true);

        migrationBuilder.CreateTable(
            name: "bot_instances",
            columns: table => new
            {
                instance_id = table.Column<string>(maxLength: 200, nullable: false),
                version = table.Column<string>(maxLength: 128, nullable: false),
                machine = table.Column<string>(maxLength: 256, nullable: false),
                started_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                last_seen_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_bot_instances", x => x.instance_id));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "bot_instances");
        migrationBuilder.DropTable(name: "timer_failures");
        migrationBuilder.DropTable(name: "operations_audit");
        migrationBuilder.DropIndex(name: "ix_outbox_messages_batch_status", table: "outbox_messages");
        migrationBuilder.DropColumn(name: "batch", table: "outbox_messages");
    }
}
