using ApprovalBot.Operations;
using ApprovalBot.Storage;

namespace ApprovalBot.Privacy;

/// <summary>One table's rows about the person, every column as stored (JSON columns as their text).</summary>
public sealed record PersonalTableExport(string Table, IReadOnlyList<Dictionary<string, object?>> Rows);

public sealed record PersonalDataExport(string Person, DateTimeOffset ExportedAt, IReadOnlyList<PersonalTableExport> Tables)
{
    public int RowCount => Tables.Sum(t => t.Rows.Count);
}

/// <summary>
/// Everything the bot stores about one person, table by table from every registered <see cref="IPersonalData"/>: rows
/// that name them in a person column, rows of their personal chats, and rows whose text or JSON mentions one of their
/// keys. Audited in <c>operations_audit</c> (<c>privacy.export</c>) under the caller's name and the person's pseudonym,
/// never their id.
/// </summary>
public sealed class ExportPersonalData(BotDbContext db, IEnumerable<IPersonalData> contributors, TimeProvider time)
{
    public const string AuditAction = "privacy.export";

    public async Task<PersonalDataExport> HandleAsync(DataSubject subject, string caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var sql = new PersonalSql(db);
        var tables = new List<PersonalTableExport>();
        foreach (var table in contributors.SelectMany(c => c.Tables))
            tables.Add(new PersonalTableExport(table.Name, await PersonalTableSql.ExportAsync(sql, table, subject, cancellationToken)));
        var export = new PersonalDataExport(subject.Id.Value, time.GetUtcNow(), tables);

        db.OperationsAudit.Add(OperationsAuditEntry.Record(
            export.ExportedAt, caller, AuditAction, subject.Pseudonym ?? "person (no Privacy:PseudonymKey)", done: true,
            $"{export.RowCount} rows from {tables.Count(t => t.Rows.Count > 0)} tables"));
        await db.SaveChangesAsync(cancellationToken);
        return export;
    }
}
