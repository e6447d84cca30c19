using System.Globalization;
using System.Text;
using ApprovalBot.Api;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Domain.Breaches;
using ApprovalBot.Domain.Common;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Breaches.Api;

/// <summary>
/// The data-protection incident endpoints: report one against an agreement, read them, acknowledge and close on behalf
/// of a person (the key acts for <c>reportedBy</c> / <c>by</c>; the domain still decides whether that person may), and
/// export an incident's timeline as JSON or CSV.
/// </summary>
public static class BreachesApi
{
    public sealed record ReportBody(string? ReportedBy, string? Summary);

    public sealed record ActBody(string? By, string? Note);

    public static IEndpointRouteBuilder MapBreachesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();

        api.MapPost("/agreements/{id:long}/breaches", ReportAsync)
            .RequireApiPolicy(ApiPolicies.Write)
            .WithName("ReportBreach").WithTags("Data protection")
            .WithSummary("Reports a personal-data breach under an Active agreement: both sides' data-protection contacts are notified in Teams at once and the notification clock starts.")
            .WithDescription($"reportedBy: e-mail, UPN or Entra object id; summary: 1–{DataBreach.MaxSummaryLength} characters. Contacts without a Teams account are recorded as unreachable and listed on the card (and in contacts) with their e-mail and phone. An agreement that is not Active or has no data-protection terms: 409.")
            .Accepts<ReportBody>("application/json")
            .Produces<BreachDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/agreements/{id:long}/breaches", ListAsync)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("ListBreaches").WithTags("Data protection")
            .WithSummary("The agreement's data-protection incidents, newest first.")
            .Produces<IReadOnlyList<BreachDto>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/breaches/{id:long}", GetAsync)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("GetBreach").WithTags("Data protection")
            .WithSummary("One incident: its clock, contacts (notified, unreachable, acknowledged) and record.")
            .Produces<BreachDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/breaches/{id:long}/acknowledge", (long id, ActBody body, ActOnBreach act, TeamsPeople people, CancellationToken ct) =>
                ActAsync(id, body, BreachAction.Acknowledge, act, people, ct))
            .RequireApiPolicy(ApiPolicies.Write)
            .WithName("AcknowledgeBreach").WithTags("Data protection")
            .WithSummary("A data-protection contact acknowledges the incident (once); every copy of its card shows it.")
            .WithDescription("by: the contact (e-mail, UPN or Entra object id). Not a contact: 403 breach.forbidden; already acknowledged or closed: 409.")
            .Accepts<ActBody>("application/json")
            .Produces<BreachDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/breaches/{id:long}/close", (long id, ActBody body, ActOnBreach act, TeamsPeople people, CancellationToken ct) =>
                ActAsync(id, body, BreachAction.Close, act, people, ct))
            .RequireApiPolicy(ApiPolicies.Write)
            .WithName("CloseBreach").WithTags("Data protection")
            .WithSummary("Closes the incident with a note: the notification clock stops.")
            .WithDescription($"by: the reporter, an oversight owner of the agreement or a data-protection contact; note: 1–{DataBreach.MaxNoteLength} characters. Anyone else: 403 breach.forbidden; closed already: 409.")
            .Accepts<ActBody>("application/json")
            .Produces<BreachDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/breaches/{id:long}/timeline", TimelineAsync)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("ExportBreachTimeline").WithTags("Data protection")
            .WithSummary("The incident's timeline — opened, notified, unreachable, acknowledged, warnings, deadline, closed — as JSON, or CSV with ?format=csv or Accept: text/csv.")
            .Produces<BreachTimelineDto>()
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ReportAsync(long id, ReportBody body, ReportBreach report, BotDbContext db, TeamsPeople people, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return await ApiResults.GuardAsync(async () =>
        {
            var input = new ApiInput(people);
            var by = await input.PersonAsync(body.ReportedBy, "reportedBy", required: true, cancellationToken);
            if (string.IsNullOrWhiteSpace(body.Summary)) input.Error("summary", "Give a summary of the breach.");
            else if (body.Summary.Trim().Length > DataBreach.MaxSummaryLength) input.Error("summary", $"The summary is at most {DataBreach.MaxSummaryLength} characters.");
            if (input.HasErrors) return input.Problem();
            if (!await db.Agreements.AsNoTracking().AnyAsync(a => a.Id == id, cancellationToken)) return ApiResults.NotFound($"There is no agreement {id}.");
            try
            {
                var breach = await report.HandleAsync(new ReportBreachInput(id, body.Summary!, by!.Value, ReporterHasCopy: false), cancellationToken);
                return Results.Created($"/api/v1/breaches/{breach.Id}", await DtoAsync(breach, people, cancellationToken));
            }
            catch (DomainException e)
            {
                return Refusal(e.Code, e.Message);
            }
        });
    }

    private static async Task<IResult> ListAsync(long id, BotDbContext db, TeamsPeople people, CancellationToken cancellationToken)
    {
        if (!await db.Agreements.AsNoTracking().AnyAsync(a => a.Id == id, cancellationToken)) return ApiResults.NotFound($"There is no agreement {id}.");
        var breaches = await db.DataBreaches.AsNoTracking().Where(b => b.AgreementId == id).OrderByDescending(b => b.Id).Take(500).ToListAsync(cancellationToken);
        var list = new List<BreachDto>();
        foreach (var breach in breaches) list.Add(await DtoAsync(breach, people, cancellationToken));
        return Results.Ok(list);
    }

    private static async Task<IResult> GetAsync(long id, BotDbContext db, TeamsPeople people, CancellationToken cancellationToken) =>
        await db.DataBreaches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken) is { } breach
            ? Results.Ok(await DtoAsync(breach, people, cancellationToken))
            : ApiResults.NotFound($"There is no incident {id}.");

    private static async Task<IResult> ActAsync(long id, ActBody body, BreachAction action, ActOnBreach act, TeamsPeople people, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return await ApiResults.GuardAsync(async () =>
        {
            var input = new ApiInput(people);
            var by = await input.PersonAsync(body.By, "by", required: true, cancellationToken);
            if (action == BreachAction.Close && string.IsNullOrWhiteSpace(body.Note)) input.Error("note", "Give a note: what was done, who was notified.");
            else if (action == BreachAction.Close && body.Note!.Trim().Length > DataBreach.MaxNoteLength) input.Error("note", $"The note is at most {DataBreach.MaxNoteLength} characters.");
            if (input.HasErrors) return input.Problem();
            var result = await act.HandleAsync(new ActOnBreachInput(id, by!.Value, action, body.Note), cancellationToken);
            if (result.Breach is not { } breach) return ApiResults.NotFound($"There is no incident {id}.");
            if (result.Refusal is { } refusal) return Refusal(result.RefusalCode!, refusal);
            return Results.Ok(await DtoAsync(breach, people, cancellationToken));
        });
    }

    private static async Task<IResult> TimelineAsync(long id, string? format, HttpContext http, BotDbContext db, TeamsPeople people, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        bool csv;
        if (format is null) csv = http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(AuditCsv.ContentType, StringComparison.OrdinalIgnoreCase));
        else if (string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)) csv = true;
        else if (string.Equals(format, "json", StringComparison.OrdinalIgnoreCase)) csv = false;
        else return ApiResults.Validation(new Dictionary<string, string[]> { ["format"] = ["format must be json or csv."] });
        if (await db.DataBreaches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken) is not { } breach)
            return ApiResults.NotFound($"There is no incident {id}.");
        var names = await people.NamesAsync(breach.Events.Where(e => e.Actor is not null).Select(e => e.Actor!.Value).Append(breach.ReportedBy).Distinct(), cancellationToken);
        var events = Events(breach, names);
        if (!csv)
        {
            return Results.Ok(new BreachTimelineDto(breach.Id, breach.Reference, breach.AgreementId, breach.AgreementName, breach.Summary, breach.ReportedBy.Value,
                names(breach.ReportedBy), ApprovalMapping.Utc(breach.ReportedAt), ApprovalMapping.Utc(breach.DeadlineAt), breach.State.ToString(),
                breach.ClosedAt is { } closed ? ApprovalMapping.Utc(closed) : null, events));
        }
        var text = new StringBuilder(AuditCsv.Line(TimelineColumns));
        foreach (var e in events)
        {
            text.Append(AuditCsv.Line([
                breach.Reference, breach.AgreementName, e.Sequence.ToString(CultureInfo.InvariantCulture),
                e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), e.Kind, e.Actor, e.ActorName, e.Contact,
                e.Percent?.ToString(CultureInfo.InvariantCulture), e.Detail]));
        }
        return Results.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", $"breach-{breach.Reference}-timeline.csv");
    }

    /// <summary>The CSV export's columns, one row per event in the order recorded.</summary>
    public static readonly IReadOnlyList<string> TimelineColumns = ["incident", "agreement", "sequence", "at", "kind", "actor", "actorName", "contact", "percent", "detail"];

    private static IResult Refusal(string code, string message)
    {
        var status = code switch
        {
            "breach.forbidden" => StatusCodes.Status403Forbidden,
            "breach.agreement_not_found" => StatusCodes.Status404NotFound,
            "breach.closed" or "breach.already_acknowledged" or "breach.agreement_not_active" or "breach.no_contacts" => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        };
        var title = status switch
        {
            StatusCodes.Status403Forbidden => "Forbidden",
            StatusCodes.Status404NotFound => "Not Found",
            StatusCodes.Status409Conflict => "The current state does not allow this.",
            _ => "The request is not valid.",
        };
        return Results.Problem(statusCode: status, title: title, detail: message, extensions: new Dictionary<string, object?> { ["code"] = code });
    }

    private static List<BreachEventDto> Events(DataBreach breach, Func<PersonId, string> names) =>
        [.. breach.Events.OrderBy(e => e.Sequence).Select(e => new BreachEventDto(
            e.Sequence, ApprovalMapping.Utc(e.At), e.Kind.ToString(), e.Actor?.Value, e.Actor is { } a ? names(a) : null, e.Contact, e.Percent, e.Detail))];

    internal static async Task<BreachDto> DtoAsync(DataBreach breach, TeamsPeople people, CancellationToken cancellationToken)
    {
        var names = await people.NamesAsync(breach.Events.Where(e => e.Actor is not null).Select(e => e.Actor!.Value).Append(breach.ReportedBy).Distinct(), cancellationToken);
        var contacts = breach.Contacts.Select(c =>
        {
            var label = DataBreach.Label(c);
            var notified = breach.Events.LastOrDefault(e => e.Contact == label && e.Kind == BreachEventKind.Notified);
            var unreachable = breach.Events.LastOrDefault(e => e.Contact == label && e.Kind == BreachEventKind.Unreachable);
            var acknowledged = c.Person is { } p ? breach.AcknowledgedAt(p) : null;
            return new BreachContactDto(c.Side.ToString(), c.Name, c.Person?.Value, c.Email, c.Phone, c.Role,
                notified is null ? null : ApprovalMapping.Utc(notified.At), unreachable?.Detail, acknowledged is { } at ? ApprovalMapping.Utc(at) : null);
        }).ToList();
        return new BreachDto(breach.Id, breach.Reference, breach.AgreementId, breach.AgreementName, breach.AgreementRevision, breach.Summary,
            breach.ReportedBy.Value, ApprovalMapping.Utc(breach.ReportedAt), (int)breach.NotificationDeadline.TotalMinutes, ApprovalMapping.Utc(breach.DeadlineAt),
            breach.State.ToString(), breach.ClockPercent, breach.ClosedAt is { } closedAt ? ApprovalMapping.Utc(closedAt) : null, breach.ClosedBy?.Value, breach.CloseNote,
            contacts, Events(breach, names));
    }
}
