using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ApprovalBot.Storage.Migrations;

/// <summary>
/// An index on <c>conversation_references.updated_at</c>: opening a chat with someone who has none asks for the most
/// recently updated reference (its service URL and tenant), which without it scanned and sorted every reference on
/// every such notification (found by the benchmark, docs/benchmarks.md).
/// </summary>
[DbContext(typeof(BotDbContext))]
[Migration(Id)]
internal sealed class ConversationReferenceRecency : Migration
{
    public const string Id = "00000000000010_ConversationReferenceRecency";

    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateIndex(name: "ix_conversation_references_updated_at", table: "conversation_references", column: "updated_at");

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropIndex(name: "ix_conversation_references_updated_at", table: "conversation_references");
}
