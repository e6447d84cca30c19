using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ApprovalBot.Storage.Migrations;

/// <summary>
/// The signing meeting (issue 10): one row per scheduling of an agreement awaiting signatures — when, how long, where
/// (notes), the attendees and reminder lead times it snapshotted (JSON text), the hash they sign, how far the reminders
/// got, and in Graph mode the calendar event (organizer, id, join URL, the sequence it reflects, failed attempts and the
/// next retry). A new table only: existing rows need nothing.
/// </summary>
[DbContext(typeof(BotDbContext))]
[Migration(Id)]
internal sealed class SigningMeetingSchema : Migration
{
    public const string Id = "00000000000020_SigningMeeting";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var instant = StorageProviders.InstantColumnType(migrationBuilder.ActiveProvider);

        migrationBuilder.CreateTable(
            name: "signing_meetings",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                agreement_id = table.Column<long>(nullable: false),
                agreement_name = table.Column<string>(maxLength: 200, nullable: false),
                revision = table.Column<int>(nullable: false),
                sha256 = table.Column<string>(maxLength: 64, nullable: false),
                document_name = table.Column<string>(maxLength: 255, nullable: true),
                starts_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                duration = table.Column<int>(nullable: false), // whole minutes
                time_zone_id = table.Column<string>(maxLength: 64, nullable: false),
                notes = table.Column<string>(maxLength: 1000, nullable: true),
                attendees = table.Column<string>(nullable: false),
                reminder_leads = table.Column<string>(nullable: false),
                state = table.Column<string>(maxLength: 16, nullable: false),
                scheduled_by = table.Column<string>(maxLength: 200, nullable: false),
                scheduled_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                changed_by = table.Column<string>(maxLength: 200, nullable: false),
                changed_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                end_reason = table.Column<string>(maxLength: 1000, nullable: true),
                reminded_through = table.Column<DateTimeOffset>(type: instant, nullable: false),
                sequence = table.Column<int>(nullable: false),
                organizer = table.Column<string>(maxLength: 256, nullable: true),
                calendar_sequence = table.Column<int>(nullable: false),
                calendar_event_id = table.Column<string>(maxLength: 512, nullable: true),
                join_url = table.Column<string>(maxLength: 2048, nullable: true),
                calendar_attempts = table.Column<int>(nullable: false),
                calendar_retry_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                calendar_error = table.Column<string>(maxLength: 1000, nullable: true),
                version = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_signing_meetings", x => x.id));

        migrationBuilder.CreateIndex(name: "ix_signing_meetings_agreement_id_state", table: "signing_meetings", columns: ["agreement_id", "state"]);
        migrationBuilder.CreateIndex(name: "ix_signing_meetings_state", table: "signing_meetings", column: "state");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "signing_meetings");
    }
}
