using ApprovalBot.Agreements.Announcement;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Domain.Common;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Agreements.Api;

/// <summary>
/// <c>GET /api/v1/agreements/{id}/events</c>: the agreement's audit trail, oldest first — the end-of-term choices
/// (renew, let expire, terminate: who, when), the refusals that changed nothing (who tried what, the code and why), the
/// renewal outcomes and what the term timers did (expired, terminated).
/// </summary>
internal static class ListAgreementEvents
{
    public sealed record EventDto(long Id, DateTimeOffset At, string Kind, GetAnnouncement.PersonDto? Actor, string? Action, string? Code, string? Detail);

    public sealed record EventsDto(long AgreementId, IReadOnlyList<EventDto> Events);

    public static async Task<IResult> HandleAsync(long id, BotDbContext db, TeamsPeople people, CancellationToken cancellationToken)
    {
        if (!await db.Agreements.AnyAsync(a => a.Id == id, cancellationToken)) return ApiResults.NotFound($"There is no agreement {id}.");
        var events = await db.AgreementEvents.AsNoTracking().Where(e => e.AgreementId == id).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        var names = await people.NamesAsync(events.Select(e => e.Actor).OfType<PersonId>().Distinct(), cancellationToken);
        return Results.Ok(new EventsDto(id, [.. events.Select(e => new EventDto(
            e.Id, e.At.ToUniversalTime(), e.Kind.ToString(), e.Actor is { } a ? new GetAnnouncement.PersonDto(a.Value, names(a)) : null, e.Action, e.Code, e.Detail))]));
    }
}
