using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ApprovalBot.Storage.Migrations;

/// <summary>
/// Issue 10, activation and the term's audit: the announcement of an agreement's term coming into force (one per
/// agreement and revision), the departments' channels it was meant for (reached, or why not), who acknowledged it (once
/// per person), and the agreement's audit trail of end-of-term choices, refusals and what the term timers did.
/// </summary>
[DbContext(typeof(BotDbContext))]
[Migration(Id)]
internal sealed class AgreementAnnouncements : Migration
{
    public const string Id = "00000000000015_AgreementAnnouncements";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var instant = StorageProviders.InstantColumnType(migrationBuilder.ActiveProvider);

        migrationBuilder.CreateTable(
            name: "announcements",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                agreement_id = table.Column<long>(nullable: false),
                revision = table.Column<int>(nullable: false),
                is_renewal = table.Column<bool>(nullable: false),
                announced_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                version = table.Column<long>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_announcements", x => x.id);
                table.ForeignKey(
                    name: "fk_announcements_agreements_agreement_id",
                    column: x => x.agreement_id,
                    principalTable: "agreements",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "ix_announcements_agreement_id_revision", table: "announcements", columns: ["agreement_id", "revision"], unique: true);

        migrationBuilder.CreateTable(
            name: "announcement_channels",
            columns: table => new
            {
                announcement_id = table.Column<long>(nullable: false),
                position = table.Column<int>(nullable: false),
                department = table.Column<string>(maxLength: 100, nullable: false),
                channel_id = table.Column<string>(maxLength: 300, nullable: false),
                not_reached_reason = table.Column<string>(maxLength: 500, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_announcement_channels", x => new { x.announcement_id, x.position });
                table.ForeignKey(
                    name: "fk_announcement_channels_announcements_announcement_id",
                    column: x => x.announcement_id,
                    principalTable: "announcements",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "announcement_acks",
            columns: table => new
            {
                announcement_id = table.Column<long>(nullable: false),
                by = table.Column<string>(maxLength: 200, nullable: false),
                department = table.Column<string>(maxLength: 100, nullable: false),
                channel_id = table.Column<string>(maxLength: 300, nullable: false),
                at = table.Column<DateTimeOffset>(type: instant, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_announcement_acks", x => new { x.announcement_id, x.by });
                table.ForeignKey(
                    name: "fk_announcement_acks_announcements_announcement_id",
                    column: x => x.announcement_id,
                    principalTable: "announcements",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "agreement_events",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                agreement_id = table.Column<long>(nullable: false),
                at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                kind = table.Column<string>(maxLength: 32, nullable: false),
                actor = table.Column<string>(maxLength: 200, nullable: true),
                action = table.Column<string>(maxLength: 32, nullable: true),
                code = table.Column<string>(maxLength: 64, nullable: true),
                detail = table.Column<string>(maxLength: 2000, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_agreement_events", x => x.id);
                table.ForeignKey(
                    name: "fk_agreement_events_agreements_agreement_id",
                    column: x => x.agreement_id,
                    principalTable: "agreements",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "ix_agreement_events_agreement_id_id", table: "agreement_events", columns: ["agreement_id", "id"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "agreement_events");
        migrationBuilder.DropTable(name: "announcement_acks");
        migrationBuilder.DropTable(name: "announcement_channels");
        migrationBuilder.DropTable(name: "announcements");
    }
}
