using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ApprovalBot.Storage.Migrations;

/// <summary>
/// Digest subscriptions (one per recipient), their deliveries (unique per subscription and period) and who
/// acknowledged each delivery.
/// </summary>
[DbContext(typeof(BotDbContext))]
[Migration(Id)]
internal sealed class DigestSubscriptions : Migration
{
    public const string Id = "00000000000009_DigestSubscriptions";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var instant = StorageProviders.InstantColumnType(migrationBuilder.ActiveProvider);

        migrationBuilder.CreateTable(
            name: "digest_subscriptions",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                recipient_kind = table.Column<string>(maxLength: 16, nullable: false),
                recipient_id = table.Column<string>(maxLength: 300, nullable: false),
                subscriber = table.Column<string>(maxLength: 200, nullable: false),
                frequency = table.Column<string>(maxLength: 16, nullable: false),
                day = table.Column<string>(maxLength: 16, nullable: true),
                minute_of_day = table.Column<int>(nullable: false),
                time_zone_id = table.Column<string>(maxLength: 100, nullable: false),
                zone_source = table.Column<string>(maxLength: 16, nullable: false),
                is_active = table.Column<bool>(nullable: false),
                next_due_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                last_period = table.Column<DateTimeOffset>(type: instant, nullable: true),
                version = table.Column<long>(nullable: false),
                created_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                stopped_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_digest_subscriptions", x => x.id));

        migrationBuilder.CreateIndex(name: "ix_digest_subscriptions_recipient_kind_recipient_id", table: "digest_subscriptions", columns: ["recipient_kind", "recipient_id"], unique: true);
        migrationBuilder.CreateIndex(name: "ix_digest_subscriptions_is_active_next_due_at", table: "digest_subscriptions", columns: ["is_active", "next_due_at"]);

        migrationBuilder.CreateTable(
            name: "digest_deliveries",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                subscription_id = table.Column<long>(nullable: false),
                recipient_kind = table.Column<string>(maxLength: 16, nullable: false),
                recipient_id = table.Column<string>(maxLength: 300, nullable: false),
                subscriber = table.Column<string>(maxLength: 200, nullable: false),
                period = table.Column<DateTimeOffset>(type: instant, nullable: false),
                at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                status = table.Column<string>(maxLength: 16, nullable: false),
                note = table.Column<string>(maxLength: 500, nullable: true),
                card_data = table.Column<string>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_digest_deliveries", x => x.id);
                table.ForeignKey(
                    name: "fk_digest_deliveries_digest_subscriptions_subscription_id",
                    column: x => x.subscription_id,
                    principalTable: "digest_subscriptions",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "ix_digest_deliveries_subscription_id_period", table: "digest_deliveries", columns: ["subscription_id", "period"], unique: true);
        migrationBuilder.CreateIndex(name: "ix_digest_deliveries_recipient_kind_recipient_id_period", table: "digest_deliveries", columns: ["recipient_kind", "recipient_id", "period"]);

        migrationBuilder.CreateTable(
            name: "digest_acknowledgements",
            columns: table => new
            {
                delivery_id = table.Column<long>(nullable: false),
                by = table.Column<string>(maxLength: 200, nullable: false),
                at = table.Column<DateTimeOffset>(type: instant, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_digest_acknowledgements", x => new { x.delivery_id, x.by });
                table.ForeignKey(
                    name: "fk_digest_acknowledgements_digest_deliveries_delivery_id",
                    column: x => x.delivery_id,
                    principalTable: "digest_deliveries",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "digest_acknowledgements");
        migrationBuilder.DropTable(name: "digest_deliveries");
        migrationBuilder.DropTable(name: "digest_subscriptions");
    }
}
