using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ApprovalBot.Storage.Migrations;

/// <summary>
/// Card copies know whose view they show (an approver's buttons, the requester's status), and an update staged while
/// the card's first post is still in the outbox waits for that post instead of being lost; a message that cannot be
/// delivered can say whom to tell.
/// </summary>
[DbContext(typeof(BotDbContext))]
[Migration(Id)]
internal sealed class CardViews : Migration
{
    public const string Id = "00000000000004_CardViews";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "card_viewer", table: "outbox_messages", maxLength: 200, nullable: true);
        migrationBuilder.AddColumn<long>(name: "after_message_id", table: "outbox_messages", nullable: true);
        migrationBuilder.AddColumn<string>(name: "give_up_notice_json", table: "outbox_messages", maxLength: 4000, nullable: true);
        migrationBuilder.AddColumn<string>(name: "viewer", table: "card_copies", maxLength: 200, nullable: true);
        migrationBuilder.CreateIndex(name: "ix_outbox_messages_after_message_id", table: "outbox_messages", column: "after_message_id");
        migrationBuilder.CreateIndex(name: "ix_outbox_messages_card_subject_status", table: "outbox_messages", columns: ["card_subject", "status"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: "ix_outbox_messages_card_subject_status", table: "outbox_messages");
        migrationBuilder.DropIndex(name: "ix_outbox_messages_after_message_id", table: "outbox_messages");
        migrationBuilder.DropColumn(name: "viewer", table: "card_copies");
        migrationBuilder.DropColumn(name: "give_up_notice_json", table: "outbox_messages");
        migrationBuilder.DropColumn(name: "after_message_id", table: "outbox_messages");
        migrationBuilder.DropColumn(name: "card_viewer", table: "outbox_messages");
    }
}
