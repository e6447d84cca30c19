using System.Buffers.Text;
using System.Globalization;
using System.Text;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Api;

/// <summary>
/// <c>GET /api/v1/conversations</c>: the conversations the bot can reach proactively (its stored conversation references),
/// oldest first, in pages. The cursor is opaque to callers: pass back <c>nextCursor</c> to get the next page.
/// </summary>
internal static class ListConversations
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public sealed record Item(
        string Id,
        string Type,
        string? UserName,
        string? UserAadObjectId,
        string? TeamName,
        string? ChannelName,
        bool Reachable,
        DateTimeOffset UpdatedAt);

    public sealed record Page(IReadOnlyList<Item> Items, string? NextCursor);

    private static readonly string[] Types = [ConversationTypes.Personal, ConversationTypes.Channel, ConversationTypes.GroupChat];

    public static async Task<IResult> HandleAsync(string? type, int? limit, string? cursor, BotDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var storedType = type is null ? null : Types.FirstOrDefault(t => string.Equals(t, type, StringComparison.OrdinalIgnoreCase));
        if (type is not null && storedType is null)
            errors["type"] = [$"type must be one of: {string.Join(", ", Types)}."];
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit)
            errors["limit"] = [$"limit must be between 1 and {MaxLimit}."];
        long after = 0;
        if (cursor is not null && !TryReadCursor(cursor, out after))
            errors["cursor"] = ["cursor is not one this API returned; pass nextCursor from the previous page unchanged."];
        if (errors.Count > 0) return ApiProblems.Validation(errors);

        var query = db.ConversationReferences.AsNoTracking().Where(c => c.Id > after);
        if (storedType is not null) query = query.Where(c => c.ConversationType == storedType);
        var rows = await query
            .OrderBy(c => c.Id)
            .Take(take + 1)
            .Select(c => new
            {
                c.Id,
                Item = new Item(c.ConversationId, c.ConversationType, c.UserName, c.UserAadObjectId, c.TeamName,
                    c.TeamsChannelName, c.IsReachable, c.UpdatedAt),
            })
            .ToListAsync(cancellationToken);

        var more = rows.Count > take;
        var page = rows.Take(take).ToList();
        return Results.Ok(new Page([.. page.Select(r => r.Item)], more ? WriteCursor(page[^1].Id) : null));
    }

    private const string CursorPrefix = "after:";

    internal static string WriteCursor(long id) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(CursorPrefix + id.ToString(CultureInfo.InvariantCulture)));

    internal static bool TryReadCursor(string cursor, out long id)
    {
        id = 0;
        if (cursor.Length is 0 or > 64) return false;
        byte[] bytes;
        try { bytes = Base64Url.DecodeFromChars(cursor); }
        catch (FormatException) { return false; }
        var text = Encoding.UTF8.GetString(bytes);
        return text.StartsWith(CursorPrefix, StringComparison.Ordinal)
               && long.TryParse(text.AsSpan(CursorPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out id)
               && id > 0;
    }
}
