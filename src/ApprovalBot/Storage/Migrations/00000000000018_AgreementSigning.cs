using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ApprovalBot.Storage.Migrations;

/// <summary>
/// Signing (issue 10): what an agreement awaiting signatures needs (its signatories, the SHA-256 they sign and where it
/// comes from; all null otherwise, so existing rows need no value) and every signing event, bound to a revision and a
/// hash: signatures, and refused attempts by people who are not signatories.
/// </summary>
[DbContext(typeof(BotDbContext))]
[Migration(Id)]
internal sealed class AgreementSigning : Migration
{
    public const string Id = "00000000000018_AgreementSigning";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var instant = StorageProviders.InstantColumnType(migrationBuilder.ActiveProvider);

        migrationBuilder.AddColumn<string>(name: "signatories", table: "agreements", nullable: true);
        migrationBuilder.AddColumn<string>(name: "signing_hash", table: "agreements", maxLength: 64, nullable: true);
        migrationBuilder.AddColumn<string>(name: "signing_hash_source", table: "agreements", maxLength: 32, nullable: true);
        migrationBuilder.AddColumn<string>(name: "signing_document_name", table: "agreements", maxLength: 255, nullable: true);

        migrationBuilder.CreateTable(
            name: "agreement_signatures",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                agreement_id = table.Column<long>(nullable: false),
                kind = table.Column<string>(maxLength: 32, nullable: false),
                revision = table.Column<int>(nullable: false),
                signer = table.Column<string>(maxLength: 200, nullable: false),
                at = table.Column<DateTimeOffset>(type: instant, nullable: false),
                sha256 = table.Column<string>(maxLength: 64, nullable: false),
                typed_name = table.Column<string>(maxLength: 200, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_agreement_signatures", x => x.id);
                table.ForeignKey(
                    name: "fk_agreement_signatures_agreements_agreement_id",
                    column: x => x.agreement_id,
                    principalTable: "agreements",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "ix_agreement_signatures_agreement_id", table: "agreement_signatures", column: "agreement_id");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "agreement_signatures");
        migrationBuilder.DropColumn(name: "signing_document_name", table: "agreements");
        migrationBuilder.DropColumn(name: "signing_hash_source", table: "agreements");
        migrationBuilder.DropColumn(name: "signing_hash", table: "agreements");
        migrationBuilder.DropColumn(name: "signatories", table: "agreements");
    }
}
