using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ApprovalBot.Storage.Migrations;

/// <summary>Outbound side: the transactional outbox and the posted card copies it keeps up to date.</summary>
[DbContext(typeof(BotDbContext))]
[Migration(Id)]
internal sealed class AddOutbox : Migration
{
    public const string Id = "00000000000002_AddOutbox";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var instant = StorageProviders.InstantColumnType(migrationBuilder.ActiveProvider);

        migrationBuilder.CreateTable(
            name: "outbox_messages",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                dedupe_key = table.Column<string>(maxLength: 256, nullable: false),
                operation = table.Column<int>(nullable: false),
                service_url = table.Column<string>(maxLength: 1024, nullable: false),
                conversation_id = table.Column<string>(maxLength: 512, nullable: true),
                target_activity_id = table.Column<string>(maxLength: 256, nullable: true),
                recipient_user_id = table.Column<string>(maxLength: 256, nullable: true),
                tenant_id = table.Column<string>(maxLength: 128, nullable: true),
                activity_json = table.Column<string>(nullable: false),
                card_subject = table.Column<string>(maxLength: 256, nullable: true),
                status = table.Column<int>(nullable: false),
                attempts = table.Column<int>(nullable: false),
                next_attempt_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                last_result = table.Column<string>(maxLength: 64, nullable: true),
                last_error = table.Column<string>(maxLength: 2048, nullable: true),
                sent_activity_id = table.Column<string>(maxLength: 256, nullable: true),
                created_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                completed_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                claimed_by = table.Column<string>(maxLength: 128, nullable: true),
                claimed_until = table.Column<DateTimeOffset>(type: instant, nullable: true),
                version = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_outbox_messages", x => x.id));

        migrationBuilder.CreateIndex(
            name: "ix_outbox_messages_dedupe_key",
            table: "outbox_messages",
            column: "dedupe_key",
            unique: true);
        migrationBuilder.CreateIndex(
            name: "ix_outbox_messages_status_next_attempt_at",
            table: "outbox_messages",
            columns: ["status", "next_attempt_at"]);

        migrationBuilder.CreateTable(
            name: "card_copies",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                subject = table.Column<string>(maxLength: 256, nullable: false),
                service_url = table.Column<string>(maxLength: 1024, nullable: false),
                conversation_id = table.Column<string>(maxLength: 512, nullable: false),
                activity_id = table.Column<string>(maxLength: 256, nullable: false),
                posted_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                is_live = table.Column<bool>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_card_copies", x => x.id));

        migrationBuilder.CreateIndex(
            name: "ix_card_copies_conversation_id_activity_id",
            table: "card_copies",
            columns: ["conversation_id", "activity_id"],
            unique: true);
        migrationBuilder.CreateIndex(
            name: "ix_card_copies_subject",
            table: "card_copies",
            column: "subject");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "card_copies");
        migrationBuilder.DropTable(name: "outbox_messages");
    }
}
