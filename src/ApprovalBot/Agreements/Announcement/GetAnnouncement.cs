using ApprovalBot.Approvals.Api;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Agreements.Announcement;

/// <summary>
/// <c>GET /api/v1/agreements/{id}/announcement</c>: where the agreement's announcements went (each department's channel,
/// reached or why not) and who acknowledged them, in which department's channel, when; newest first (a renewal makes
/// a new one). An agreement never announced (not Active yet, or no channels configured) has none.
/// </summary>
internal static class GetAnnouncement
{
    public sealed record PersonDto(string Id, string Name);

    public sealed record ChannelDto(string Department, string ChannelId, bool Reached, string? NotReachedReason);

    public sealed record AcknowledgementDto(PersonDto By, string Department, string ChannelId, DateTimeOffset At);

    public sealed record AnnouncementDto(int Revision, bool Renewal, bool Current, DateTimeOffset AnnouncedAt, IReadOnlyList<ChannelDto> Channels, IReadOnlyList<AcknowledgementDto> Acknowledgements);

    public sealed record AnnouncementsDto(long AgreementId, string Name, IReadOnlyList<AnnouncementDto> Announcements);

    public static async Task<IResult> HandleAsync(long id, BotDbContext db, TeamsPeople people, CancellationToken cancellationToken)
    {
        var agreement = await db.Agreements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (agreement is null) return ApiResults.NotFound($"There is no agreement {id}.");
        var announcements = await db.AgreementAnnouncements.AsNoTracking().Where(a => a.AgreementId == id)
            .OrderByDescending(a => a.Revision).ToListAsync(cancellationToken);
        var names = await people.NamesAsync(announcements.SelectMany(a => a.Acknowledgements.Select(k => k.By)).Distinct(), cancellationToken);
        return Results.Ok(new AnnouncementsDto(id, agreement.Name, [.. announcements.Select(a => new AnnouncementDto(
            a.Revision, a.IsRenewal, agreement.Status == AgreementStatus.Active && agreement.ActiveRevisionNumber == a.Revision, a.AnnouncedAt.ToUniversalTime(),
            [.. a.Channels.OrderBy(c => c.Position).Select(c => new ChannelDto(c.Department, c.ChannelId, c.Reached, c.NotReachedReason))],
            [.. a.Acknowledgements.OrderBy(k => k.At).Select(k => new AcknowledgementDto(new PersonDto(k.By.Value, names(k.By)), k.Department, k.ChannelId, k.At.ToUniversalTime()))]))]));
    }
}
