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
    /// <summary>
    /// An Active agreement whose P2 is answered within 1 h and resolved within 8 h, around the clock; L1 Adele, L2 Isaiah,
    /// L3 Lynne; Alex oversees it. <paramref name="l1ChannelId"/>: L1 also has that Teams channel.
    /// </summary>
    /// <param name="now">The test's start time: the agreement was drafted and approved in the days before.</param>
    public static async Task<long> ActiveAgreementAsync(BotTestHost bot, DateTimeOffset now, string name = "Contoso help desk", string? l1ChannelId = null)
    {
        ArgumentNullException.ThrowIfNull(bot);
        var level = (SupportLevel l, TestUser who, string? channel) =>
            new EscalationLevel(l, new EscalationContacts([new PersonId(who.AadObjectId)], channel), l.ToString());
        var terms = SampleTerms.Complete() with
        {
            OversightOwners = [new PersonId(Cast.Alex.AadObjectId)],
            ServiceLevels = new ServiceLevelTargets([
                new PriorityTarget(Priority.P1, TimeSpan.FromMinutes(15), TimeSpan.FromHours(4), aroundTheClock: true),
                new PriorityTarget(Priority.P2, TimeSpan.FromHours(1), TimeSpan.FromHours(8), aroundTheClock: true),
                new PriorityTarget(Priority.P3, TimeSpan.FromHours(4), TimeSpan.FromDays(2)),
                new PriorityTarget(Priority.P4, TimeSpan.FromHours(8), TimeSpan.FromDays(5))]),
            Escalation = new EscalationProcedure([
                level(SupportLevel.L1, Cast.Adele, l1ChannelId), level(SupportLevel.L2, Cast.Isaiah, null), level(SupportLevel.L3, Cast.Lynne, null)]),
        };
        var directory = TestDirectory.Standard();
        var calendar = BusinessCalendar.TwentyFourSeven("UTC");
        var agreement = Agreement.CreateDraft(name, terms, People.Alice, now.AddDays(-10));
        var request = await AgreementApproval.SubmitAsync(agreement, BuiltInFlows.Agreement(), People.Alice, null, directory, calendar, now.AddDays(-9));
        foreach (var approver in new[] { People.Bob, People.Lena, People.Mia })
        {
            (await request.ApproveAsync(approver, request.CurrentCard, null, directory, calendar, now.AddDays(-8))).ThrowIfRefused();
            agreement.ApplyApprovalOutcome(request, now.AddDays(-8));
        }
        Assert.Equal(AgreementStatus.Active, agreement.Status);
        await using var db = bot.CreateDbContext();
        db.Agreements.Add(agreement);
        await db.SaveChangesAsync();
        return agreement.Id;
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
