using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Privacy;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.IntegrationTests.Privacy;

/// <summary>
/// Reads every table of the model (owned tables included, not just the ones the privacy feature declares) and lists
/// each text value that contains one of the keys, any case, as "table.column = value". Empty: the keys are nowhere.
/// </summary>
internal static class PersonalDataScan
{
    public static async Task<List<string>> FindAsync(BotTestHost bot, IReadOnlyList<string> keys)
    {
        await using var db = bot.CreateDbContext();
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var sql = new PersonalSql(db);
        var found = new List<string>();
        foreach (var table in tables)
        {
            foreach (var row in await sql.QueryAsync($"SELECT * FROM {PersonalSql.Quote(table)}", [], CancellationToken.None))
            {
                foreach (var (column, value) in row)
                {
                    if (value is string text && keys.Any(k => text.Contains(k, StringComparison.OrdinalIgnoreCase)))
                        found.Add($"{table}.{column} = {text}");
                }
            }
        }
        return found;
    }
}
