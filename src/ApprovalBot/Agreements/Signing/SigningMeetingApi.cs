using System.Globalization;
using ApprovalBot.Api;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Teams;

namespace ApprovalBot.Agreements.Signing;

/// <summary>
/// <c>POST /api/v1/agreements/{id}/signing-meeting</c> (schedule or move) and <c>…/signing-meeting/cancel</c>: the API's
/// <c>signing meeting</c> (<see cref="ScheduleSigningMeeting"/>). 200 with the meeting; 400 for a bad time, duration or
/// notes; 404 for no such agreement; 409 when <c>by</c> may not, or the agreement does not await signatures, or there is
/// no meeting to cancel.
/// </summary>
internal static class SigningMeetingApi
{
    /// <summary><c>start</c>: local time in the bot's zone, <c>yyyy-MM-dd HH:mm</c> (or with a <c>T</c>); <c>durationMinutes</c>: 5–720, default from the configuration.</summary>
    public sealed record Body(string? By, string? Start, int? DurationMinutes, string? Notes);

    public sealed record CancelBody(string? By);

    /// <summary>A signing meeting: when (instants and the local time in its zone), who, what they sign, the reminders, and the calendar event in Graph mode.</summary>
    public sealed record SigningMeetingDto(
        long Id, long AgreementId, int Revision, string State, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string LocalStart, string TimeZone,
        int DurationMinutes, string? Notes, IReadOnlyList<string> Attendees, string Sha256, string? DocumentName, IReadOnlyList<DateTimeOffset> Reminders,
        string Calendar, string? CalendarEventId, string? JoinUrl, string? CalendarError);

    private static readonly HashSet<string> Conflicts = new(StringComparer.Ordinal)
    {
        "signing_meeting.forbidden", "signing_meeting.not_awaiting", "signing_meeting.none", "signing_meeting.over", "signing_meeting.stale",
    };

    public static RouteGroupBuilder MapSigningMeetingApi(this RouteGroupBuilder api)
    {
        api.MapPost("/agreements/{id:long}/signing-meeting", ScheduleAsync)
            .RequireApiPolicy(ApiPolicies.Write)
            .WithName("ScheduleSigningMeeting").WithTags("Agreements")
            .WithSummary("Schedules (or moves) the signing meeting of an agreement awaiting signatures.")
            .WithDescription("by: the requester of the current revision, an oversight owner or a member of the Management group (e-mail, UPN or Entra object id). start: local time in the bot's time zone (Approvals:TimeZone), yyyy-MM-dd HH:mm, in the future. durationMinutes: 5–720 (default Agreements:Signing:Meeting:DefaultDuration). notes: the place, a dial-in (at most 1000 characters; a move without notes keeps the old ones). The signatories are told in chat and reminded; with Microsoft Graph the Teams meeting is created in the organizer's calendar (calendar: pending, then created; failing with calendarError while Graph refuses, retried). 409 when by may not or the agreement does not await signatures.")
            .Accepts<Body>("application/json")
            .Produces<SigningMeetingDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/agreements/{id:long}/signing-meeting/cancel", CancelAsync)
            .RequireApiPolicy(ApiPolicies.Write)
            .WithName("CancelSigningMeeting").WithTags("Agreements")
            .WithSummary("Cancels the scheduled signing meeting: the attendees are told, reminders stop, a calendar event is cancelled.")
            .Accepts<CancelBody>("application/json")
            .Produces<SigningMeetingDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> ScheduleAsync(long id, Body body, ScheduleSigningMeeting schedule, TeamsPeople people, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return await ApiResults.GuardAsync(async () =>
        {
            var input = new ApiInput(people);
            var by = await input.PersonAsync(body.By, "by", required: true, cancellationToken);
            DateTime? start = null;
            if (string.IsNullOrWhiteSpace(body.Start))
                input.Error("start", "Give the meeting's start: local time in the bot's time zone, yyyy-MM-dd HH:mm.");
            else if (DateTime.TryParseExact(body.Start.Trim(), ["yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
                start = local;
            else
                input.Error("start", $"'{body.Start}' is not a local date and time: write yyyy-MM-dd HH:mm (in {schedule.Zone.Id}).");
            if (body.DurationMinutes is < 5 or > 720)
                input.Error("durationMinutes", "The duration must be from 5 to 720 minutes.");
            if (input.HasErrors) return input.Problem();

            var duration = body.DurationMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : (TimeSpan?)null;
            return Answer(await schedule.HandleAsync(new ScheduleSigningMeetingInput(id, by!.Value, start, duration, body.Notes), cancellationToken), id);
        });
    }

    private static async Task<IResult> CancelAsync(long id, CancelBody body, ScheduleSigningMeeting schedule, TeamsPeople people, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return await ApiResults.GuardAsync(async () =>
        {
            var input = new ApiInput(people);
            var by = await input.PersonAsync(body.By, "by", required: true, cancellationToken);
            if (input.HasErrors) return input.Problem();
            return Answer(await schedule.HandleAsync(new ScheduleSigningMeetingInput(id, by!.Value, null, Cancel: true), cancellationToken), id);
        });
    }

    private static IResult Answer(ScheduleSigningMeetingResult result, long id)
    {
        if (result.Agreement is null) return ApiResults.NotFound($"There is no agreement {id}.");
        if (result.Refusal is { } refusal)
        {
            var conflict = Conflicts.Contains(result.RefusalCode ?? "");
            return Results.Problem(
                statusCode: conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest,
                title: conflict ? "The current state does not allow this." : "The request is not valid.",
                detail: refusal,
                extensions: new Dictionary<string, object?> { ["code"] = result.RefusalCode });
        }
        return Results.Ok(Dto(result.Meeting!));
    }

    public static SigningMeetingDto Dto(SigningMeeting meeting)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        var calendar = meeting.Organizer is null ? "none"
            : meeting.State == SigningMeetingState.Cancelled ? (meeting.PendingCalendarWork == CalendarWork.None ? "cancelled" : "cancelling")
            : meeting.CalendarError is not null ? "failing"
            : meeting.CalendarEventId is null ? "pending"
            : "created";
        return new SigningMeetingDto(
            meeting.Id, meeting.AgreementId, meeting.Revision, meeting.State.ToString(), ApprovalMapping.Utc(meeting.StartsAt), ApprovalMapping.Utc(meeting.EndsAt),
            TimeZoneInfo.ConvertTime(meeting.StartsAt, meeting.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), meeting.TimeZoneId,
            (int)meeting.Duration.TotalMinutes, meeting.Notes, [.. meeting.Attendees.Select(a => a.Value)], meeting.Sha256, meeting.DocumentName,
            [.. meeting.Reminders.Where(r => r.At > meeting.RemindedThrough && meeting.State == SigningMeetingState.Scheduled).Select(r => ApprovalMapping.Utc(r.At))],
            calendar, meeting.CalendarEventId, meeting.JoinUrl, meeting.CalendarError);
    }
}
