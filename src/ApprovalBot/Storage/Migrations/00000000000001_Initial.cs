using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ApprovalBot.Storage.Migrations;

/// <summary>Inbound side: where conversations are, and which activities were already taken in.</summary>
[DbContext(typeof(BotDbContext))]
[Migration(Id)]
internal sealed class Initial : Migration
{
    public const string Id = "00000000000001_Initial";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var instant = StorageProviders.InstantColumnType(migrationBuilder.ActiveProvider);

        migrationBuilder.CreateTable(
            name: "conversation_references",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                conversation_id = table.Column<string>(maxLength: 512, nullable: false),
                conversation_type = table.Column<string>(maxLength: 32, nullable: false),
                service_url = table.Column<string>(maxLength: 1024, nullable: false),
                channel_id = table.Column<string>(maxLength: 64, nullable: false),
                tenant_id = table.Column<string>(maxLength: 128, nullable: true),
                bot_id = table.Column<string>(maxLength: 256, nullable: true),
                user_id = table.Column<string>(maxLength: 256, nullable: true),
                user_aad_object_id = table.Column<string>(maxLength: 128, nullable: true),
                user_name = table.Column<string>(maxLength: 256, nullable: true),
                team_id = table.Column<string>(maxLength: 512, nullable: true),
                team_name = table.Column<string>(maxLength: 256, nullable: true),
                teams_channel_id = table.Column<string>(maxLength: 512, nullable: true),
                teams_channel_name = table.Column<string>(maxLength: 256, nullable: true),
                is_reachable = table.Column<bool>(nullable: false),
                unreachable_reason = table.Column<string>(maxLength: 256, nullable: true),
                created_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_conversation_references", x => x.id));

        migrationBuilder.CreateIndex(
            name: "ix_conversation_references_conversation_id",
            table: "conversation_references",
            column: "conversation_id",
            unique: true);
        migrationBuilder.CreateIndex(
            name: "ix_conversation_references_user_aad_object_id",
            table: "conversation_references",
            column: "user_aad_object_id");
        migrationBuilder.CreateIndex(
            name: "ix_conversation_references_user_id",
            table: "conversation_references",
            column: "user_id");

        migrationBuilder.CreateTable(
            name: "processed_activities",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                conversation_id = table.Column<string>(maxLength: 512, nullable: false),
                activity_id = table.Column<string>(maxLength: 256, nullable: false),
                activity_type = table.Column<string>(maxLength: 64, nullable: false),
                received_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_processed_activities", x => x.id));

        migrationBuilder.CreateIndex(
            name: "ix_processed_activities_conversation_id_activity_id",
            table: "processed_activities",
            columns: ["conversation_id", "activity_id"],
            unique: true);
        migrationBuilder.CreateIndex(
            name: "ix_processed_activities_received_at",
            table: "processed_activities",
            column: "received_at");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "processed_activities");
        migrationBuilder.DropTable(name: "conversation_references");
    }
}
