using System.Globalization;
using System.Text.RegularExpressions;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Commands;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Agreements.Signing;

/// <summary>
/// <c>signing meeting &lt;agreement&gt; &lt;yyyy-MM-dd HH:mm&gt; [duration] [notes]</c> schedules (or moves) the signing
/// meeting of an agreement awaiting signatures, in the bot's time zone; <c>signing meeting &lt;agreement&gt; cancel</c>
/// calls it off. The name is the words before the date (any case, or the start of one name). Not in the Teams menu.
/// </summary>
public sealed partial class SigningMeetingCommandHandler(
    BotDbContext db, ScheduleSigningMeeting schedule, TeamsPeople people, CardRenderer cards, HelpCards help, global::ApprovalBot.Teams.Outbox.Outbox outbox) : IActivityHandler
{
    public static readonly CommandInfo Info = new(
        "signing", "signing meeting <agreement> <yyyy-MM-dd HH:mm> [duration] [notes]  |  signing meeting <agreement> cancel",
        "Schedule the signing meeting of an agreement awaiting signatures, in the bot's time zone: the signatories are told in chat with the time, notes and hash, and reminded; with Graph the Teams meeting is created too. Duration like 45m, 1h, 1h30m. A new time moves it; cancel calls it off. Requester, oversight owners and Management.",
        ["signing meeting Contoso help desk 2026-12-10 14:00 1h Board room 2", "signing meeting Contoso help desk cancel"]) { Area = "Agreements", InMenu = false };

    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var tokens = turn.Command!.Tokens;
        if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } me)
            return await ReplyErrorAsync(turn, "I cannot tell who you are (your Teams account has no directory id).", cancellationToken);
        if (tokens.Count == 0 || !string.Equals(tokens[0], "meeting", StringComparison.OrdinalIgnoreCase))
            return await ReplyErrorAsync(turn, "Write signing meeting, then the agreement and the date and time.", cancellationToken);

        var parsed = Parse(tokens, schedule.Zone);
        if (parsed.Error is { } error)
            return await ReplyErrorAsync(turn, error, cancellationToken);
        var (agreement, problem) = await FindAsync(parsed.Name, cancellationToken);
        if (agreement is null)
            return await ReplyErrorAsync(turn, problem, cancellationToken);

        var result = await schedule.HandleAsync(new ScheduleSigningMeetingInput(agreement.Id, me, parsed.Start, parsed.Duration, parsed.Notes, parsed.Cancel), cancellationToken);
        if (result.Refusal is { } refusal)
            return await ReplyErrorAsync(turn, refusal, cancellationToken);
        var meeting = result.Meeting!;
        var zone = await people.TimeZoneAsync(me, meeting.Zone, cancellationToken);
        var card = cards.Render(CardTemplates.Notice, new NoticeCardData(
            meeting.State == SigningMeetingState.Cancelled ? $"Signing meeting cancelled: {agreement.Name}" : $"Signing meeting: {agreement.Name}",
            result.Notice, meeting.State == SigningMeetingState.Cancelled ? NoticeTone.Default : NoticeTone.Good, SigningMeetingMessages.Facts(meeting, zone)));
        return await outbox.ReplyWithCardAsync(turn, card, cancellationToken);
    }

    private Task<InvokeResponse?> ReplyErrorAsync(TurnContext turn, string error, CancellationToken cancellationToken) =>
        outbox.ReplyWithCardAsync(turn, help.One(Info, error), cancellationToken);

    /// <summary>What was typed after <c>meeting</c>: the name, and the time, duration and notes or cancel; or what is wrong with it.</summary>
    internal sealed record Parsed(string Name, DateTime? Start, TimeSpan? Duration, string? Notes, bool Cancel, string? Error);

    internal static Parsed Parse(IReadOnlyList<string> tokens, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(zone);
        var format = $"yyyy-MM-dd HH:mm, in {zone.Id}";
        var dateAt = -1;
        for (var i = 1; i < tokens.Count; i++)
        {
            if (DateToken().IsMatch(tokens[i]))
            {
                dateAt = i;
                break;
            }
        }
        if (dateAt < 0)
        {
            if (tokens.Count >= 3 && string.Equals(tokens[^1], "cancel", StringComparison.OrdinalIgnoreCase))
                return new Parsed(string.Join(' ', tokens.Skip(1).Take(tokens.Count - 2)), null, null, null, true, null);
            return Fail(tokens.Count < 2
                ? "Give the agreement, then the date and time of the meeting."
                : $"Give the date and time of the meeting after the agreement's name ({format}), or cancel to call it off.");
        }
        var name = string.Join(' ', tokens.Skip(1).Take(dateAt - 1));
        if (name.Length == 0) return Fail("Give the agreement's name before the date.");
        if (dateAt + 1 >= tokens.Count || !TimeToken().IsMatch(tokens[dateAt + 1]))
            return Fail($"Give the time after the date ({format}).");
        if (!DateTime.TryParseExact($"{tokens[dateAt]} {tokens[dateAt + 1]}", ["yyyy-MM-dd H:mm", "yyyy-M-d H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
            return Fail($"'{HelpCards.Quote($"{tokens[dateAt]} {tokens[dateAt + 1]}")}' is not a date and time: write it as {format}.");

        var rest = dateAt + 2;
        TimeSpan? duration = null;
        if (rest < tokens.Count && DurationToken().Match(tokens[rest]) is { Success: true } match && (match.Groups[1].Success || match.Groups[2].Success))
        {
            var hours = match.Groups[1].Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            var minutes = match.Groups[2].Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
            duration = TimeSpan.FromHours(hours) + TimeSpan.FromMinutes(minutes);
            rest++;
        }
        var notes = string.Join(' ', tokens.Skip(rest));
        return new Parsed(name, start, duration, notes.Length == 0 ? null : notes, false, null);

        Parsed Fail(string error) => new("", null, null, null, false, error);
    }

    /// <summary>The agreement awaiting signatures that <paramref name="typed"/> names (any case, or the start of one name), or why there is none.</summary>
    private async Task<(Agreement? Agreement, string Problem)> FindAsync(string typed, CancellationToken cancellationToken)
    {
        var awaiting = await db.Agreements.AsNoTracking().Where(a => a.Status == AgreementStatus.AwaitingSignatures).ToListAsync(cancellationToken);
        var found = ActiveAgreementNames.Match(awaiting, typed);
        if (found.Count == 1) return (found[0], "");
        if (found.Count > 1)
            return (null, $"'{HelpCards.Quote(typed)}' could be {string.Join(", ", found.Take(5).Select(a => a.Name))}{(found.Count > 5 ? ", …" : string.Empty)}. Which one?");
        var name = typed.Trim().ToLowerInvariant();
#pragma warning disable CA1304, CA1311, CA1862 // translated to SQL lower(), on both providers
        var other = await db.Agreements.AsNoTracking().Where(a => a.Name.ToLower() == name).OrderByDescending(a => a.Id).FirstOrDefaultAsync(cancellationToken);
#pragma warning restore CA1304, CA1311, CA1862
        return other is null
            ? (null, $"No agreement awaiting signatures is called '{HelpCards.Quote(typed)}'.")
            : (null, $"'{other.Name}' is {other.Status}: a signing meeting is scheduled only while an agreement awaits signatures (after its final approval, before the last signature).");
    }

    [GeneratedRegex(@"^\d{4}-\d{1,2}-\d{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex DateToken();

    [GeneratedRegex(@"^\d{1,2}:\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex TimeToken();

    [GeneratedRegex(@"^(?:(\d{1,2})h)?(?:(\d{1,3})(?:m|min))?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DurationToken();
}
