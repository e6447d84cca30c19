using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ApprovalBot.Storage.Migrations;

/// <summary>
/// Negotiation with the provider (issue 10): each round of an agreement — the revision sent after the flow's
/// negotiation stage, when and to whom, the document and terms hashes it was sent on, and the provider's answer (who,
/// when, a change request's comment). Approval requests and their audit need no new column: the new status
/// (<c>AwaitingProvider</c>) and audit actions are strings that fit the existing columns.
/// </summary>
[DbContext(typeof(BotDbContext))]
[Migration(Id)]
internal sealed class AgreementNegotiationRounds : Migration
{
    public const string Id = "00000000000019_Negotiation";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var instant = StorageProviders.InstantColumnType(migrationBuilder.ActiveProvider);

        migrationBuilder.CreateTable(
            name: "agreement_negotiation_rounds",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                agreement_id = table.Column<long>(nullable: false),
                number = table.Column<int>(nullable: false),
                revision = table.Column<int>(nullable: false),
                sent_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                negotiators = table.Column<string>(nullable: false),
                document_hashes = table.Column<string>(maxLength: 1000, nullable: true),
                terms_sha256 = table.Column<string>(maxLength: 64, nullable: false),
                outcome = table.Column<string>(maxLength: 32, nullable: true),
                decided_by = table.Column<string>(maxLength: 200, nullable: true),
                decided_at = table.Column<DateTimeOffset>(type: instant, nullable: true),
                comment = table.Column<string>(maxLength: 2000, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_agreement_negotiation_rounds", x => x.id);
                table.ForeignKey(
                    name: "fk_agreement_negotiation_rounds_agreements_agreement_id",
                    column: x => x.agreement_id,
                    principalTable: "agreements",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(
            name: "ix_agreement_negotiation_rounds_agreement_id_number",
            table: "agreement_negotiation_rounds",
            columns: ["agreement_id", "number"],
            unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropTable(name: "agreement_negotiation_rounds");
}
