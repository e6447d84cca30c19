using System.Text.Json.Nodes;
using ApprovalBot.Agreements.Teams;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Commands;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Agreements.Documents;

/// <summary>
/// <c>document [&lt;agreement&gt;] draft|final</c> with a file attached in the 1:1 chat: fetches the attachment (allowed
/// hosts only), checks it and adds it to the agreement (without a name: the one open agreement the sender may change).
/// Parse → fetch and check → <see cref="AddAgreementDocument"/> → a plain-text answer; anything wrong → the usage card
/// with what was wrong, and nothing stored.
/// </summary>
public sealed class DocumentCommandHandler(
    BotDbContext db, AgreementViews views, DocumentFetcher fetcher, AddAgreementDocument add, TeamsPeople people, HelpCards help, global::ApprovalBot.Teams.Outbox.Outbox outbox) : IActivityHandler
{
    public static readonly CommandInfo Info = new(
        "document", "document [<agreement>] draft|final  (with the PDF or DOCX attached)",
        "Adds the draft or the final contract to an agreement: attach the file to this message. Without a name it goes to your one open agreement.",
        ["document Contoso help desk draft", "document 3 final", "document draft"]) { Area = "Agreements", InChannel = false, InMenu = false };

    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var tokens = turn.Command!.Tokens;
        var me = await people.IdentifyAsync(turn.Activity, cancellationToken);
        if (tokens.Count == 0 || !DocumentsApi.TryKind(tokens[^1], out var kind))
            return await UsageAsync(turn, "Say which document it is: draft or final.", cancellationToken);
        var files = DocumentFetcher.Files(turn.Activity);
        if (files.Count != 1)
            return await UsageAsync(turn, files.Count == 0 ? "Attach the PDF or DOCX file to the message." : "Attach one file at a time.", cancellationToken);
        if (me is not { } person) return await UsageAsync(turn, "I could not tell who you are.", cancellationToken);

        var key = string.Join(' ', tokens.Take(tokens.Count - 1));
        var (agreement, problem) = key.Length > 0 ? await ByKeyAsync(key, cancellationToken) : await OpenAgreementAsync(person, cancellationToken);
        if (agreement is null) return await UsageAsync(turn, problem!, cancellationToken);
        if (!AgreementAccess.CanChange(agreement, person))
            return await UsageAsync(turn, $"Only the author and the oversight owners of '{agreement.Name}' can add its documents.", cancellationToken);

        var check = await fetcher.FetchAsync(files[0], cancellationToken);
        if (check.Refusal is not null) return await UsageAsync(turn, check.Problem!, cancellationToken);
        try
        {
            var added = await add.HandleAsync(agreement.Id, kind, check.File!, check.Content!, person, cancellationToken);
            await outbox.ReplyAsync(turn, new Activity { Type = ActivityTypes.Message, TextFormat = "plain", Text = added!.Summary() }, cancellationToken);
            return null;
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            return await UsageAsync(turn, e.Message, cancellationToken);
        }
    }

    private async Task<(Agreement?, string?)> ByKeyAsync(string key, CancellationToken cancellationToken) =>
        await views.FindAsync(key, track: false, cancellationToken) is { } found
            ? (found, null)
            : (null, $"There is no agreement '{HelpCards.Quote(key)}'. See: agreement list");

    /// <summary>The one agreement not yet in force that <paramref name="person"/> may change.</summary>
    private async Task<(Agreement?, string?)> OpenAgreementAsync(PersonId person, CancellationToken cancellationToken)
    {
        var open = (await db.Agreements.AsNoTracking()
                .Where(a => a.Status == AgreementStatus.Draft || a.Status == AgreementStatus.ChangesRequested || a.Status == AgreementStatus.InApproval || a.Status == AgreementStatus.AwaitingSignatures || a.Status == AgreementStatus.Rejected)
                .OrderBy(a => a.Id).Take(200).ToListAsync(cancellationToken))
            .Where(a => AgreementAccess.CanChange(a, person)).ToList();
        return open.Count switch
        {
            1 => (open[0], null),
            0 => (null, "You have no open agreement to add it to. Name one: document <agreement> draft|final"),
            _ => (null, $"You have {open.Count} open agreements ({string.Join(", ", open.Take(5).Select(a => $"#{a.Id} {a.Name}"))}{(open.Count > 5 ? ", …" : "")}); name one: document <agreement> draft|final"),
        };
    }

    private async Task<InvokeResponse?> UsageAsync(TurnContext turn, string error, CancellationToken cancellationToken)
    {
        JsonObject card = help.One(Info, error);
        return await outbox.ReplyWithCardAsync(turn, card, cancellationToken);
    }
}
