using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.IntegrationTests.Storage;

/// <summary>
/// A database's schema as read back from its catalog, one line per fact (table, column, index, constraint, sequence),
/// so two schemas compare as sorted text and differ in readable lines. EF's own bookkeeping tables are left out.
/// Column order is not a fact here: PostgreSQL's ADD COLUMN always appends, and EF addresses columns by name.
/// </summary>
internal static partial class DatabaseSchema
{
    private static readonly string[] EfTables = ["__EFMigrationsHistory", "__EFMigrationsLock"];

    public static async Task<IReadOnlyList<string>> ReadAsync(BotDbContext db)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            var connection = db.Database.GetDbConnection();
            var lines = StorageProviders.IsSqlite(db.Database.ProviderName)
                ? await ReadSqliteAsync(connection)
                : await ReadPostgresAsync(connection);
            lines.Sort(StringComparer.Ordinal);
            return lines;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Empty when equal; otherwise what only one side has, then both schemas in full.</summary>
    public static string Diff(string leftName, IReadOnlyList<string> left, string rightName, IReadOnlyList<string> right)
    {
        var onlyLeft = left.Except(right, StringComparer.Ordinal).ToList();
        var onlyRight = right.Except(left, StringComparer.Ordinal).ToList();
        if (onlyLeft.Count == 0 && onlyRight.Count == 0 && left.Count == right.Count)
            return "";

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Schemas differ. Only in {leftName}:");
        foreach (var line in onlyLeft)
            text.AppendLine(CultureInfo.InvariantCulture, $"  - {line}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Only in {rightName}:");
        foreach (var line in onlyRight)
            text.AppendLine(CultureInfo.InvariantCulture, $"  + {line}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Full {leftName} schema:");
        foreach (var line in left)
            text.AppendLine(CultureInfo.InvariantCulture, $"    {line}");
        return text.ToString();
    }

    private static async Task<List<string>> ReadSqliteAsync(DbConnection connection)
    {
        var lines = new List<string>();
        var objects = await QueryAsync(connection,
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name");
        foreach (var o in objects)
        {
            var (type, name, table, sql) = (o[0], o[1], o[2], o[3]);
            if (EfTables.Contains(table, StringComparer.Ordinal))
                continue;
            switch (type)
            {
                case "table":
                    lines.Add($"table {name} autoincrement={sql.Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase)} " +
                              $"constraints=[{string.Join(", ", ConstraintNames().Matches(sql).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal))}]");
                    await ReadSqliteTableAsync(connection, name, lines);
                    break;
                case "index":
                    break; // read per table through pragma_index_list, which also sees automatic indexes
                default:
                    lines.Add($"{type} {name} on {table}: {sql}");
                    break;
            }
        }
        return lines;
    }

    private static async Task ReadSqliteTableAsync(DbConnection connection, string table, List<string> lines)
    {
        foreach (var c in await QueryAsync(connection, "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(@p0)", table))
            lines.Add($"column {table}.{c[0]} type={c[1]} notnull={c[2]} default={c[3]} pk={c[4]}");

        foreach (var i in await QueryAsync(connection, "SELECT name, \"unique\", origin, partial FROM pragma_index_list(@p0)", table))
        {
            var keys = await QueryAsync(connection,
                "SELECT name, \"desc\", coll FROM pragma_index_xinfo(@p0) WHERE key = 1 ORDER BY seqno", i[0]);
            lines.Add($"index {table}.{i[0]} unique={i[1]} origin={i[2]} partial={i[3]} " +
                      $"keys=({string.Join(", ", keys.Select(k => $"{k[0]}{(k[1] == "1" ? " desc" : "")} collate {k[2]}"))})");
        }

        foreach (var f in await QueryAsync(connection,
                     "SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete, \"match\" FROM pragma_foreign_key_list(@p0)", table))
            lines.Add($"foreign key {table}#{f[0]}.{f[1]} ({f[3]}) references {f[2]}({f[4]}) on update {f[5]} on delete {f[6]} match {f[7]}");
    }

    private static async Task<List<string>> ReadPostgresAsync(DbConnection connection)
    {
        var lines = new List<string>();
        var notEf = $"NOT IN ({string.Join(", ", EfTables.Select(t => $"'{t}'"))})";

        foreach (var t in await QueryAsync(connection,
                     $"SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'public' AND table_name {notEf}"))
            lines.Add($"table {t[0]} type={t[1]}");

        foreach (var c in await QueryAsync(connection,
                     "SELECT table_name, column_name, data_type, udt_name, character_maximum_length, numeric_precision, numeric_scale, " +
                     "datetime_precision, is_nullable, column_default, is_identity, identity_generation, identity_start, " +
                     "identity_increment, identity_minimum, identity_maximum, identity_cycle, is_generated, generation_expression, collation_name " +
                     $"FROM information_schema.columns WHERE table_schema = 'public' AND table_name {notEf}"))
        {
            lines.Add($"column {c[0]}.{c[1]} type={c[2]} udt={c[3]} length={c[4]} precision={c[5]},{c[6]},{c[7]} nullable={c[8]} " +
                      $"default={c[9]} identity={c[10]} {c[11]} start={c[12]} increment={c[13]} min={c[14]} max={c[15]} cycle={c[16]} " +
                      $"generated={c[17]} {c[18]} collation={c[19]}");
        }

        foreach (var i in await QueryAsync(connection,
                     $"SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename {notEf}"))
            lines.Add($"index {i[0]}.{i[1]}: {i[2]}");

        foreach (var k in await QueryAsync(connection,
                     "SELECT cl.relname, co.conname, co.contype, pg_get_constraintdef(co.oid), co.condeferrable, co.condeferred " +
                     "FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_namespace n ON n.oid = co.connamespace " +
                     $"WHERE n.nspname = 'public' AND cl.relname {notEf}"))
            lines.Add($"constraint {k[0]}.{k[1]} type={k[2]} {k[3]} deferrable={k[4]},{k[5]}");

        // pg_sequence, not information_schema.sequences, which leaves out identity columns' sequences.
        foreach (var s in await QueryAsync(connection,
                     "SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqmin, s.seqmax, s.seqincrement, s.seqcycle " +
                     "FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace " +
                     "WHERE n.nspname = 'public'"))
            lines.Add($"sequence {s[0]} type={s[1]} start={s[2]} min={s[3]} max={s[4]} increment={s[5]} cycle={s[6]}");

        foreach (var v in await QueryAsync(connection,
                     "SELECT table_name, view_definition FROM information_schema.views WHERE table_schema = 'public'"))
            lines.Add($"view {v[0]}: {v[1]}");

        foreach (var r in await QueryAsync(connection,
                     "SELECT p.proname, pg_get_function_identity_arguments(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace " +
                     "WHERE n.nspname = 'public'"))
            lines.Add($"function {r[0]}({r[1]})");

        foreach (var e in await QueryAsync(connection, "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'"))
            lines.Add($"extension {e[0]}");

        foreach (var t in await QueryAsync(connection,
                     "SELECT t.typname, t.typtype FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace " +
                     "WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd')"))
            lines.Add($"type {t[0]} kind={t[1]}");
        return lines;
    }

    /// <summary>Rows as invariant strings ("" for NULL); parameters are @p0, @p1, ….</summary>
    private static async Task<List<string[]>> QueryAsync(DbConnection connection, string sql, params object[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            parameter.Value = parameters[i];
            command.Parameters.Add(parameter);
        }
        var rows = new List<string[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new string[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "";
            rows.Add(row);
        }
        return rows;
    }

    [GeneratedRegex("CONSTRAINT\\s+\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ConstraintNames();
}
