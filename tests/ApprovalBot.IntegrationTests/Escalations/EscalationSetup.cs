using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Escalations;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.IntegrationTests.Storage;
using ApprovalBot.TestSupport.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Escalations;

/// <summary>
/// What escalation tests start from: an Active agreement stored in the bot's database (approved through the real
/// approval flow), people who have installed the bot, an escalation opened through the use case, and reading it back.
/// </summary>
internal static class EscalationSetup
{
    /// <summary>The agreement of <see cref="EscalationAgreements.ActiveAsync"/> in the bot's database, overseen by Alex.</summary>
    /// <param name="now">The test's start time: the agreement was drafted and approved in the days before.</param>
    public static Task<long> ActiveAgreementAsync(BotTestHost bot, DateTimeOffset now, string name = "Contoso help desk", string? l1ChannelId = null)
    {
        ArgumentNullException.ThrowIfNull(bot);
        return EscalationAgreements.ActiveAsync(bot.Database, now, [Cast.Alex], name: name, l1ChannelId: l1ChannelId);
    }

    /// <summary><paramref name="user"/>'s 1:1 chat with the bot, installed (the welcome card is consumed).</summary>
    public static async Task<TestConversation> ChatWithAsync(BotTestHost bot, TestUser user)
    {
        ArgumentNullException.ThrowIfNull(bot);
        var chat = bot.PersonalChat(user);
        await chat.InstallAsync();
        await chat.ExpectCardAsync();
        return chat;
    }

    /// <summary>Opens a P2 escalation through the use case, reported by <paramref name="reporter"/> (default Alex).</summary>
    public static async Task<Escalation> OpenAsync(BotTestHost bot, long agreementId, string title, TestUser? reporter = null, Priority priority = Priority.P2)
    {
        ArgumentNullException.ThrowIfNull(bot);
        await using var scope = bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OpenEscalation>().HandleAsync(
            new OpenEscalationInput(agreementId, priority, title, null, new PersonId((reporter ?? Cast.Alex).AadObjectId)), CancellationToken.None);
    }

    /// <summary>The escalation as stored now.</summary>
    public static async Task<Escalation> LoadAsync(BotTestHost bot, long id)
    {
        ArgumentNullException.ThrowIfNull(bot);
        await using var db = bot.CreateDbContext();
        return await db.Escalations.AsNoTracking().SingleAsync(e => e.Id == id);
    }
}
