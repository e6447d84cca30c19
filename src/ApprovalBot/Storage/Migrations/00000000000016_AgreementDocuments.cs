using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ApprovalBot.Storage.Migrations;

/// <summary>
/// Documents pinned by hash (issue 10): a revision's documents (metadata, keyed to the revision), their bytes by SHA-256
/// when the database is the document store, and the document hashes a request is deciding and each decision was made
/// on. All new columns are nullable: requests and decisions from before had no documents.
/// </summary>
[DbContext(typeof(BotDbContext))]
[Migration(Id)]
internal sealed class AgreementDocuments : Migration
{
    public const string Id = "00000000000016_AgreementDocuments";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var instant = StorageProviders.InstantColumnType(migrationBuilder.ActiveProvider);

        migrationBuilder.CreateTable(
            name: "agreement_documents",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                revision_id = table.Column<long>(nullable: false),
                kind = table.Column<string>(maxLength: 32, nullable: false),
                file_name = table.Column<string>(maxLength: 255, nullable: false),
                content_type = table.Column<string>(maxLength: 100, nullable: false),
                size_bytes = table.Column<long>(nullable: false),
                sha256 = table.Column<string>(maxLength: 64, nullable: false),
                uploaded_by = table.Column<string>(maxLength: 200, nullable: false),
                uploaded_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_agreement_documents", x => x.id);
                table.ForeignKey(
                    name: "fk_agreement_documents_agreement_revisions_revision_id",
                    column: x => x.revision_id,
                    principalTable: "agreement_revisions",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "ix_agreement_documents_revision_id", table: "agreement_documents", column: "revision_id");
        migrationBuilder.CreateIndex(name: "ix_agreement_documents_sha256", table: "agreement_documents", column: "sha256");

        migrationBuilder.CreateTable(
            name: "agreement_document_contents",
            columns: table => new
            {
                sha256 = table.Column<string>(maxLength: 64, nullable: false),
                content = table.Column<byte[]>(nullable: false),
                size_bytes = table.Column<long>(nullable: false),
                stored_at = table.Column<DateTimeOffset>(type: instant, nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_agreement_document_contents", x => x.sha256));

        migrationBuilder.AddColumn<string>(name: "document_hashes", table: "approval_requests", maxLength: 1000, nullable: true);
        migrationBuilder.AddColumn<string>(name: "document_hashes", table: "approval_audit", maxLength: 1000, nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "document_hashes", table: "approval_audit");
        migrationBuilder.DropColumn(name: "document_hashes", table: "approval_requests");
        migrationBuilder.DropTable(name: "agreement_document_contents");
        migrationBuilder.DropTable(name: "agreement_documents");
    }
}
