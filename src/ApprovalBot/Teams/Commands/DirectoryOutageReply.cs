using ApprovalBot.OrgDirectory;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Storage;
using ApprovalBot.Teams.Outbox;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Teams.Commands;

/// <summary>
/// A command or card action that had to ask the directory (e.g. to find a typed e-mail address) while it was not
/// answering: nothing the handler left unsaved is kept, and the user reads that the directory is not answering and to
/// try again in a few minutes, instead of an error. The turn itself stays recorded as processed.
/// </summary>
public sealed class DirectoryOutageReply(BotDbContext db, HelpCards help, Outbox.Outbox outbox) : ITurnOutageReply
{
    public const string Message = "The directory is not answering right now, so I could not do that; nothing was changed. Try again in a few minutes.";

    public string? MessageFor(Exception exception) => exception switch
    {
        DirectoryUnavailableException => Message,
        { InnerException: { } inner } => MessageFor(inner),
        _ => null,
    };

    public async ValueTask AbandonAsync(TurnContext turn, string message, bool reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is not ProcessedActivity).ToList())
            entry.State = EntityState.Detached;
        if (reply) await outbox.ReplyWithCardAsync(turn, help.Error(message), cancellationToken);
    }
}
