using System.Data.Common;
using System.Globalization;
using System.Text;
using ApprovalBot.Domain.Common;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ApprovalBot.Privacy;

/// <summary>
/// One feature's share of "everything the bot stores about a person": the tables it owns, declared as
/// <see cref="PersonalTable"/>s, and anything that must happen through its use cases before an erasure (cancelling the
/// person's durable timers). Register one per feature with <c>services.AddPersonalData&lt;T&gt;()</c>; a new table is a
/// new declaration here, and export, erasure and the tests that query every covered table pick it up.
/// </summary>
public interface IPersonalData
{
    IReadOnlyList<PersonalTable> Tables { get; }

    /// <summary>Runs before the erasure transaction, through the feature's own use cases (they commit and arm or cancel timers).</summary>
    Task BeforeErasureAsync(DataSubject subject, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// The person an export or erasure is about, with every key the bot may have stored them under: the object id, the
/// addresses and display names the directory and their conversations know (<see cref="Mentions"/>, searched in free
/// text and JSON), their Teams user ids and their personal chats.
/// </summary>
public sealed record DataSubject(
    PersonId Id,
    string? Pseudonym,
    IReadOnlyList<string> Mentions,
    IReadOnlyList<string> TeamsUserIds,
    IReadOnlyList<string> PersonalConversationIds);

/// <summary>What an erasure does with a text column the person wrote.</summary>
public enum TextErasure
{
    /// <summary>Replaced by <see cref="PersonalTable.RemovedMarker"/> (required columns, and where "there was text" matters).</summary>
    Marker,
    Null,
}

/// <summary>A text column written by the person in <see cref="Author"/>: removed on erasure.</summary>
public sealed record PersonalText(string Column, string Author, TextErasure Erasure = TextErasure.Marker);

/// <summary>
/// One table's personal data, declaratively. Matching rows (export): any <see cref="People"/> column equal to the person's
/// id (any case), any <see cref="Conversations"/> column naming one of their personal chats, or any
/// <see cref="Mentions"/> column containing one of their keys. Erasure, in this order: <see cref="Custom"/>; rows of
/// their personal chats deleted (when <see cref="DeleteConversationRows"/>); rows matched on a person column deleted
/// (when <see cref="DeleteRows"/>); <see cref="Texts"/> they wrote removed; <see cref="People"/> columns set to the
/// pseudonym; every key inside <see cref="Mentions"/> columns replaced by the pseudonym. Each step is idempotent, so a
/// second erasure counts nothing.
/// </summary>
public sealed record PersonalTable(string Name)
{
    public const string RemovedMarker = "[removed]";

    public IReadOnlyList<string> People { get; init; } = [];
    public IReadOnlyList<string> Conversations { get; init; } = [];
    public IReadOnlyList<string> Mentions { get; init; } = [];
    public IReadOnlyList<PersonalText> Texts { get; init; } = [];
    public bool DeleteRows { get; init; }
    public bool DeleteConversationRows { get; init; }

    /// <summary>Extra erasure SQL run first (inside the transaction); returns the rows it changed.</summary>
    public Func<PersonalSql, DataSubject, CancellationToken, Task<int>>? Custom { get; init; }
}

/// <summary>
/// Parameterised SQL on the context's connection and transaction: the same text on SQLite and PostgreSQL (double-quoted
/// identifiers, <c>lower</c>, <c>LIKE</c>, <c>REPLACE</c>). Placeholders are <c>{0}</c>, <c>{1}</c>, … as in
/// <c>ExecuteSqlRaw</c>. The only place the privacy feature builds SQL text; names come from declarations, never input.
/// </summary>
public sealed class PersonalSql(BotDbContext db)
{
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public async Task<int> ExecuteAsync(string sql, IReadOnlyList<object?> args, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = Bind(command, sql, args);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public async Task<List<Dictionary<string, object?>>> QueryAsync(string sql, IReadOnlyList<object?> args, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = Bind(command, sql, args);
            var rows = new List<Dictionary<string, object?>>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = 0; i < reader.FieldCount; i++)
                    row[reader.GetName(i)] = await reader.IsDBNullAsync(i, cancellationToken) ? null : reader.GetValue(i);
                rows.Add(row);
            }
            return rows;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static string Bind(DbCommand command, string sql, IReadOnlyList<object?> args)
    {
        var text = new StringBuilder(sql);
        for (var i = args.Count - 1; i >= 0; i--)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            parameter.Value = args[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
            text.Replace("{" + i.ToString(CultureInfo.InvariantCulture) + "}", parameter.ParameterName);
        }
        return text.ToString();
    }
}

/// <summary>Turns <see cref="PersonalTable"/> declarations into the export's SELECT and the erasure's statements.</summary>
internal static class PersonalTableSql
{
    /// <summary>The WHERE clause matching the person's rows, and its arguments.</summary>
    public static (string Where, List<object?> Args) Match(PersonalTable table, DataSubject subject, bool withMentions)
    {
        var args = new List<object?>();
        var parts = new List<string>();
        if (table.People.Count > 0)
        {
            args.Add(subject.Id.Value.ToLowerInvariant());
            parts.AddRange(table.People.Select(c => $"lower({PersonalSql.Quote(c)}) = {{0}}"));
        }
        foreach (var column in table.Conversations)
            parts.AddRange(InList(column, subject.PersonalConversationIds, args));
        if (withMentions)
        {
            foreach (var key in subject.Mentions)
            {
                args.Add("%" + key.ToLowerInvariant() + "%");
                var index = args.Count - 1;
                parts.AddRange(table.Mentions.Select(c => $"lower({PersonalSql.Quote(c)}) LIKE {{{index}}}"));
            }
        }
        return (parts.Count == 0 ? "1 = 0" : string.Join(" OR ", parts), args);
    }

    public static Task<List<Dictionary<string, object?>>> ExportAsync(PersonalSql sql, PersonalTable table, DataSubject subject, CancellationToken cancellationToken)
    {
        var (where, args) = Match(table, subject, withMentions: true);
        return sql.QueryAsync($"SELECT * FROM {PersonalSql.Quote(table.Name)} WHERE {where}", args, cancellationToken);
    }

    /// <summary>Erases the person from the table; the number of rows deleted or changed.</summary>
    public static async Task<int> EraseAsync(PersonalSql sql, PersonalTable table, DataSubject subject, string pseudonym, CancellationToken cancellationToken)
    {
        var name = PersonalSql.Quote(table.Name);
        var id = subject.Id.Value.ToLowerInvariant();
        var changed = 0;
        if (table.Custom is { } custom) changed += await custom(sql, subject, cancellationToken);
        if (table.DeleteConversationRows)
        {
            foreach (var column in table.Conversations)
            {
                var args = new List<object?>();
                var where = InList(column, subject.PersonalConversationIds, args).FirstOrDefault();
                if (where is not null) changed += await sql.ExecuteAsync($"DELETE FROM {name} WHERE {where}", args, cancellationToken);
            }
        }
        if (table.DeleteRows && table.People.Count > 0)
        {
            var where = string.Join(" OR ", table.People.Select(c => $"lower({PersonalSql.Quote(c)}) = {{0}}"));
            changed += await sql.ExecuteAsync($"DELETE FROM {name} WHERE {where}", [id], cancellationToken);
        }
        foreach (var text in table.Texts)
        {
            var column = PersonalSql.Quote(text.Column);
            var value = text.Erasure == TextErasure.Marker ? PersonalTable.RemovedMarker : null;
            var unchanged = value is null ? $"{column} IS NOT NULL" : $"{column} <> {{1}}";
            changed += await sql.ExecuteAsync(
                $"UPDATE {name} SET {column} = {{1}} WHERE lower({PersonalSql.Quote(text.Author)}) = {{0}} AND {unchanged}", [id, value], cancellationToken);
        }
        foreach (var person in table.People)
        {
            var column = PersonalSql.Quote(person);
            changed += await sql.ExecuteAsync($"UPDATE {name} SET {column} = {{1}} WHERE lower({column}) = {{0}}", [id, pseudonym], cancellationToken);
        }
        foreach (var mention in table.Mentions)
        {
            var column = PersonalSql.Quote(mention);
            foreach (var key in subject.Mentions)
            {
                changed += await sql.ExecuteAsync(
                    $"UPDATE {name} SET {column} = REPLACE({column}, {{0}}, {{1}}) WHERE {column} LIKE {{2}} AND REPLACE({column}, {{0}}, {{1}}) <> {column}",
                    [key, pseudonym, "%" + key + "%"], cancellationToken);
            }
        }
        return changed;
    }

    /// <summary>"column IN (…)" over the values (appended to args), or nothing when there are none.</summary>
    public static IEnumerable<string> InList(string column, IReadOnlyList<string> values, List<object?> args)
    {
        if (values.Count == 0) yield break;
        var placeholders = new List<string>();
        foreach (var value in values)
        {
            args.Add(value);
            placeholders.Add("{" + (args.Count - 1).ToString(CultureInfo.InvariantCulture) + "}");
        }
        yield return $"{PersonalSql.Quote(column)} IN ({string.Join(", ", placeholders)})";
    }
}
