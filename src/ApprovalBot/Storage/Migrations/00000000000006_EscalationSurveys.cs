using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ApprovalBot.Storage.Migrations;

/// <summary>
/// The satisfaction survey after a resolution: when the reporter was last sent it (on the escalation row; "when was
/// this person last asked" is the latest over their escalations) and their answers, one per resolution.
/// </summary>
[DbContext(typeof(BotDbContext))]
[Migration(Id)]
internal sealed class EscalationSurveys : Migration
{
    public const string Id = "00000000000006_EscalationSurveys";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var instant = StorageProviders.InstantColumnType(migrationBuilder.ActiveProvider);

        migrationBuilder.AddColumn<DateTimeOffset>(name: "survey_asked_at", table: "escalations", type: instant, nullable: true);

        migrationBuilder.CreateTable(
            name: "escalation_survey_answers",
            columns: table => new
            {
                escalation_id = table.Column<long>(nullable: false),
                resolution = table.Column<int>(nullable: false),
                score = table.Column<int>(nullable: false),
                comment = table.Column<string>(maxLength: 2000, nullable: true),
                by = table.Column<string>(maxLength: 200, nullable: false),
                at = table.Column<DateTimeOffset>(type: instant, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_escalation_survey_answers", x => new { x.escalation_id, x.resolution });
                table.ForeignKey(
                    name: "fk_escalation_survey_answers_escalations_escalation_id",
                    column: x => x.escalation_id,
                    principalTable: "escalations",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "ix_escalation_survey_answers_at", table: "escalation_survey_answers", column: "at");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "escalation_survey_answers");
        // SQLite cannot drop a column without a rebuild; the column is nullable and harmless to an older model.
        if (!StorageProviders.IsSqlite(migrationBuilder.ActiveProvider))
            migrationBuilder.DropColumn(name: "survey_asked_at", table: "escalations");
    }
}
