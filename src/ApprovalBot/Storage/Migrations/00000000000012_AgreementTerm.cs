using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ApprovalBot.Storage.Migrations;

/// <summary>
/// The end of an agreement's term (issue 10): the owners' choice (renew, let expire, terminate) with who and when, a
/// termination scheduled for its notice date, and how far the notice-deadline reminders have gone. All nullable: an
/// agreement that is Active already reads as undecided, reminded up to its activation.
/// </summary>
[DbContext(typeof(BotDbContext))]
[Migration(Id)]
internal sealed class AgreementTerm : Migration
{
    public const string Id = "00000000000012_AgreementTerm";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var instant = StorageProviders.InstantColumnType(migrationBuilder.ActiveProvider);
        migrationBuilder.AddColumn<DateTimeOffset>(name: "termination_requested_at", table: "agreements", type: instant, nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>(name: "termination_effective_at", table: "agreements", type: instant, nullable: true);
        migrationBuilder.AddColumn<string>(name: "term_choice", table: "agreements", maxLength: 32, nullable: true);
        migrationBuilder.AddColumn<string>(name: "term_choice_by", table: "agreements", maxLength: 200, nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>(name: "term_choice_at", table: "agreements", type: instant, nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>(name: "term_reminded_through", table: "agreements", type: instant, nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "term_reminded_through", table: "agreements");
        migrationBuilder.DropColumn(name: "term_choice_at", table: "agreements");
        migrationBuilder.DropColumn(name: "term_choice_by", table: "agreements");
        migrationBuilder.DropColumn(name: "term_choice", table: "agreements");
        migrationBuilder.DropColumn(name: "termination_effective_at", table: "agreements");
        migrationBuilder.DropColumn(name: "termination_requested_at", table: "agreements");
    }
}
