using System.Globalization;
using System.Text;

namespace ApprovalBot.Approvals.Api;

/// <summary>
/// Audit records as CSV (RFC 4180): a header row, CRLF line ends, a field quoted when it holds a comma, a quote, CR or
/// LF, quotes inside doubled. Spreadsheets run a cell that starts with = + - @ TAB or CR as a formula, and comments
/// and details are free text from people, so such a field gets a leading <c>'</c> (OWASP's advice on CSV injection).
/// Rows are written as they are read, never held all at once.
/// </summary>
internal static class AuditCsv
{
    public const string ContentType = "text/csv";

    public static readonly IReadOnlyList<string> Columns =
        ["requestId", "sequence", "at", "actor", "onBehalfOf", "action", "outcome", "refusal", "revision", "stage", "stageName", "delegateTo", "comment", "detail", "documentHashes"];

    private const int FlushEvery = 500;

    public static async Task WriteAsync(Stream body, IAsyncEnumerable<AuditRecordDto> records, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true);
        await writer.WriteAsync(Line(Columns));
        var count = 0;
        await foreach (var r in records.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(Line(Row(r)));
            if (++count % FlushEvery == 0) await writer.FlushAsync(cancellationToken);
        }

        await writer.FlushAsync(cancellationToken);
    }

    public static IReadOnlyList<string?> Row(AuditRecordDto r) =>
    [
        Number(r.RequestId), Number(r.Sequence), Instant(r.At), r.Actor, r.OnBehalfOf, r.Action, r.Outcome, r.Refusal,
        Number(r.Revision), r.Stage is { } stage ? Number(stage) : null, r.StageName, r.DelegateTo, r.Comment, r.Detail,
        r.DocumentHashes,
    ];

    public static string Line(IEnumerable<string?> fields) => string.Join(',', fields.Select(Field)) + "\r\n";

    /// <summary>One field: formula-neutralised, then quoted when it must be.</summary>
    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
