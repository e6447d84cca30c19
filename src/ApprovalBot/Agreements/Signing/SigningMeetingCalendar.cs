using System.Globalization;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.OrgDirectory;
using ApprovalBot.OrgDirectory.Graph;
using Azure.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.Events.Item.Cancel;
using Microsoft.Kiota.Abstractions;

namespace ApprovalBot.Agreements.Signing;

/// <summary>What one calendar call did: done (with the event's id and join URL when Graph gave them), or why not.</summary>
internal sealed record CalendarCallResult(bool Done, string? EventId = null, string? JoinUrl = null, string? Error = null)
{
    public static CalendarCallResult Failed(string error) => new(false, Error: error);
}

/// <summary>
/// The signing meeting in the organizer's Outlook calendar through Microsoft Graph (application permission
/// <c>Calendars.ReadWrite</c>, restricted to the organizer's mailbox by an application access policy; docs/deployment.md):
/// <c>POST /users/{organizer}/events</c> with the attendees as required attendees, a Teams online meeting, and start and
/// end in the organizer's time zone; <c>PATCH</c> after a reschedule; <c>POST …/cancel</c> after a cancellation. The
/// create carries a <c>transactionId</c> fixed per meeting, so a retry after a lost answer does not make a second event.
/// Failures are returned (never thrown) for the caller to record and retry.
/// </summary>
internal sealed partial class SigningMeetingCalendar(GraphClientProvider clients, IDirectory directory, IOptions<DirectoryOptions> directoryOptions, ILogger<SigningMeetingCalendar> logger)
{
    public async Task<CalendarCallResult> RunAsync(SigningMeeting meeting, CalendarWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        if (meeting.Organizer is not { } organizer) return new CalendarCallResult(true);
        try
        {
            var graph = clients.Create();
            switch (work)
            {
                case CalendarWork.Create:
                {
                    var created = await graph.Users[organizer].Events.PostAsync(await EventAsync(meeting, create: true, cancellationToken), cancellationToken: cancellationToken);
                    if (created?.Id is not { Length: > 0 } id) return CalendarCallResult.Failed("Graph created the event but gave no id");
                    return new CalendarCallResult(true, id, created.OnlineMeeting?.JoinUrl);
                }
                case CalendarWork.Update:
                {
                    var updated = await graph.Users[organizer].Events[meeting.CalendarEventId!].PatchAsync(await EventAsync(meeting, create: false, cancellationToken), cancellationToken: cancellationToken);
                    return new CalendarCallResult(true, updated?.Id, updated?.OnlineMeeting?.JoinUrl);
                }
                case CalendarWork.Cancel:
                    await graph.Users[organizer].Events[meeting.CalendarEventId!].Cancel.PostAsync(
                        new CancelPostRequestBody { Comment = $"The signing meeting of '{meeting.AgreementName}' was cancelled ({meeting.EndReason})." },
                        cancellationToken: cancellationToken);
                    return new CalendarCallResult(true);
                default:
                    return new CalendarCallResult(true);
            }
        }
        catch (ApiException e) when (work == CalendarWork.Cancel && e.ResponseStatusCode == 404)
        {
            return new CalendarCallResult(true); // deleted by hand already: nothing left to cancel
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Describe(e, directoryOptions.Value.Graph.MaxRetries) is { } why)
        {
            LogFailed(logger, meeting.Id, work, why);
            return CalendarCallResult.Failed(why);
        }
    }

    /// <summary>Why a Graph call failed, in words for the person who scheduled the meeting; null for a failure that is not Graph's (a bug).</summary>
    internal static string? Describe(Exception e, int maxRetries)
    {
        var failure = e is AggregateException { InnerExceptions: [.., ApiException last] } ? last : e;
        return failure switch
        {
            ODataError { ResponseStatusCode: 401 or 403 } o =>
                $"Graph refused it (HTTP {o.ResponseStatusCode} {o.Error?.Code}): grant the app the Calendars.ReadWrite application permission (admin consent) and check that the application access policy covers the organizer's mailbox (docs/deployment.md)",
            ODataError { ResponseStatusCode: 404 } o =>
                $"Graph does not know the organizer's mailbox or the event (HTTP 404 {o.Error?.Code}): check Agreements:Signing:Meeting:Organizer",
            ApiException { ResponseStatusCode: 429 } => string.Create(CultureInfo.InvariantCulture, $"Graph kept throttling it (HTTP 429) through {maxRetries} retries"),
            ApiException { ResponseStatusCode: 503 or 504 } a => string.Create(CultureInfo.InvariantCulture, $"Graph was unavailable (HTTP {a.ResponseStatusCode}) through {maxRetries} retries"),
            ODataError o => string.Create(CultureInfo.InvariantCulture, $"Graph answered HTTP {o.ResponseStatusCode} {o.Error?.Code}: {o.Error?.Message}"),
            ApiException a => string.Create(CultureInfo.InvariantCulture, $"Graph answered HTTP {a.ResponseStatusCode}"),
            AuthenticationFailedException => "no token for Graph could be obtained from Entra ID (check the tenant, client id and secret)",
            HttpRequestException h => $"Graph could not be reached ({h.HttpRequestError})",
            OperationCanceledException => "Graph did not answer in time",
            DirectoryUnavailableException d => d.Message,
            _ => null,
        };
    }

    private async Task<Event> EventAsync(SigningMeeting meeting, bool create, CancellationToken cancellationToken)
    {
        var zone = await OrganizerZoneAsync(meeting, cancellationToken);
        var attendees = new List<Attendee>();
        foreach (var person in meeting.Attendees)
        {
            var found = await directory.GetPersonAsync(person, cancellationToken);
            if ((found?.Email ?? found?.UserPrincipalName) is { Length: > 0 } address)
                attendees.Add(new Attendee { Type = AttendeeType.Required, EmailAddress = new EmailAddress { Address = address, Name = found!.DisplayName } });
            else
                LogNoAddress(logger, meeting.Id, person.Value);
        }
        var graphZone = TimeZoneInfo.TryConvertIanaIdToWindowsId(zone.Id, out var windows) ? windows : zone.Id;
        var result = new Event
        {
            Subject = $"Signing: {meeting.AgreementName}",
            Body = new ItemBody { ContentType = BodyType.Text, Content = Body(meeting) },
            Start = new DateTimeTimeZone { DateTime = Local(meeting.StartsAt, zone), TimeZone = graphZone },
            End = new DateTimeTimeZone { DateTime = Local(meeting.EndsAt, zone), TimeZone = graphZone },
            Attendees = attendees,
            Location = meeting.Notes is { } notes ? new Location { DisplayName = notes.Length <= 250 ? notes : notes[..250] } : null,
        };
        if (create)
        {
            result.IsOnlineMeeting = true;
            result.OnlineMeetingProvider = OnlineMeetingProviderType.TeamsForBusiness;
            result.TransactionId = TransactionId(meeting);
        }
        return result;
    }

    /// <summary>The create's idempotency key: one per meeting row, whatever the number of attempts.</summary>
    public static string TransactionId(SigningMeeting meeting) =>
        string.Create(CultureInfo.InvariantCulture, $"approvalbot-signing-meeting-{(meeting ?? throw new ArgumentNullException(nameof(meeting))).Id}");

    /// <summary>What the invitation says: the agreement, the document and its SHA-256, how signing works, the notes.</summary>
    public static string Body(SigningMeeting meeting)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        var document = meeting.DocumentName is { } name
            ? $"the final contract \u201c{name}\u201d, SHA-256 {meeting.Sha256}"
            : $"the agreement's terms (revision {meeting.Revision.ToString(CultureInfo.InvariantCulture)}), SHA-256 of their canonical JSON {meeting.Sha256}";
        var text = $"Signing meeting for the IT support agreement '{meeting.AgreementName}'. The document signed: {document}. "
                   + "Each signatory signs on the signing card ApprovalBot sent them in Teams, by typing their full name; compare the hash on the card with the one above.";
        return meeting.Notes is { } notes ? $"{text}\n\nNotes: {notes}" : text;
    }

    private async Task<TimeZoneInfo> OrganizerZoneAsync(SigningMeeting meeting, CancellationToken cancellationToken)
    {
        try
        {
            if (await directory.GetTimeZoneAsync(new PersonId(meeting.Organizer!), cancellationToken) is { } iana
                && TimeZoneInfo.TryFindSystemTimeZoneById(iana, out var zone))
                return zone;
        }
        catch (DirectoryUnavailableException)
        {
            // The mailbox settings could not be read: the meeting's own zone describes the same instants.
        }
        return meeting.Zone;
    }

    private static string Local(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).DateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 4870, Level = LogLevel.Warning, Message = "Signing meeting {MeetingId}: calendar {Work} failed: {Why}")]
    private static partial void LogFailed(ILogger logger, long meetingId, CalendarWork work, string why);

    [LoggerMessage(EventId = 4871, Level = LogLevel.Warning, Message = "Signing meeting {MeetingId}: attendee {Person} has no e-mail address or UPN in the directory; they are told in chat only")]
    private static partial void LogNoAddress(ILogger logger, long meetingId, string person);
}
