using ApprovalBot.IntegrationTests.Infrastructure;

namespace ApprovalBot.IntegrationTests.Configuration;

/// <summary>A setting that would make the bot misbehave stops it at start-up, with a message naming the key.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Housekeeping:Every", "00:00:00", "Housekeeping:Every")]
    [InlineData("Outbox:MaxAttempts", "0", "Outbox:MaxAttempts")]
    [InlineData("Outbox:ClaimTimeout", "00:00:05", "Outbox:ClaimTimeout")]
    [InlineData("Outbox:BatchSize", "0", "Outbox:BatchSize")]
    [InlineData("BotEndpoint:MaxBodyBytes", "10", "BotEndpoint:MaxBodyBytes")]
    [InlineData("BotEndpoint:UserTurnsPerMinute", "-1", "BotEndpoint:UserTurnsPerMinute")]
    [InlineData("BotEndpoint:UserTurnBurst", "0", "BotEndpoint:UserTurnBurst")]
    [InlineData("Api:RequestsPerMinute", "-1", "Api:RequestsPerMinute")]
    [InlineData("Api:Burst", "0", "Api:Burst")]
    [InlineData("Scheduling:IdleWaitTime", "00:00:00.100", "Scheduling:IdleWaitTime")]
    [InlineData("Scheduling:MaxConcurrency", "0", "Scheduling:MaxConcurrency")]
    [InlineData("Scheduling:FailedTimerRetries", "0", "Scheduling:FailedTimerRetries")]
    [InlineData("Scheduling:StoreCommits", "Async", "Scheduling:StoreCommits")]
    [InlineData("Escalations:ReopenWindow", "00:00:00", "Escalations:ReopenWindow")]
    [InlineData("Escalations:SurveyInterval", "-00:00:01", "Escalations:SurveyInterval")]
    [InlineData("Escalations:ReopenWindow", "400.00:00:00", "Escalations:ReopenWindow")]
    [InlineData("Metrics:GaugeRefreshInterval", "00:00:00.500", "Metrics:GaugeRefreshInterval")]
    [InlineData("Metrics:GaugeRefreshInterval", "01:00:00", "Metrics:GaugeRefreshInterval")]
    [InlineData("Agreements:Term:ReminderLeadDays:0", "0", "Agreements:Term:ReminderLeadDays")]
    [InlineData("Agreements:Term:ReminderLeadDays:1", "400", "Agreements:Term:ReminderLeadDays")]
    [InlineData("Agreements:Term:ReminderTimeOfDay", "1.00:00:00", "Agreements:Term:ReminderTimeOfDay")]
    [InlineData("Agreements:Documents:MaxBytes", "100", "Agreements:Documents:MaxBytes")]
    [InlineData("Agreements:Documents:MaxBytes", "999999999999", "Agreements:Documents:MaxBytes")]
    [InlineData("Agreements:Documents:Store", "Folder", "Agreements:Documents:Folder")]
    [InlineData("Agreements:Documents:AllowedTypes:0", "exe", "Agreements:Documents:AllowedTypes")]
    [InlineData("Agreements:Documents:AllowedHosts:0", "https://x.example/", "Agreements:Documents:AllowedHosts")]
    [InlineData("Agreements:Documents:DownloadTimeout", "00:10:00", "Agreements:Documents:DownloadTimeout")]
    [InlineData("Agreements:Documents:LinkLifetime", "31.00:00:00", "Agreements:Documents:LinkLifetime")]
    [InlineData("Agreements:Documents:LinkSigningKey", "c2hvcnQ=", "Agreements:Documents:LinkSigningKey")]
    [InlineData("Agreements:Documents:PublicBaseUrl", "https://bot.example", "Agreements:Documents:PublicBaseUrl needs")]
    [InlineData("Agreements:Announcement:Channels:0:Department", "IT", "Agreements:Announcement:Channels:0:ChannelId")]   // a department without its channel
    [InlineData("Agreements:Announcement:Channels:0:ChannelId", "19:it@thread.tacv2", "Agreements:Announcement:Channels:0:Department")]
    [InlineData("Agreements:Signing:Signatories:IT support agreement", "manager", "Agreements:Signing:Signatories")]
    [InlineData("Agreements:Signing:Signatories:IT support agreement", "group:; provider", "Agreements:Signing:Signatories")]
    [InlineData("Agreements:Negotiation:AfterStage:IT support agreement", "Legl", "Agreements:Negotiation:AfterStage")]
    [InlineData("Agreements:Negotiation:AfterStage:IT support agreement", "Management", "Agreements:Negotiation:AfterStage")]   // the last stage
    [InlineData("Agreements:Negotiation:AfterStage:No such flow", "Legal", "Agreements:Negotiation:AfterStage")]
    [InlineData("Agreements:Negotiation:ReturnStage:IT support agreement", "Management", "Agreements:Negotiation:ReturnStage")]   // after the negotiation stage
    [InlineData("Agreements:Signing:Meeting:DefaultDuration", "00:01:00", "Agreements:Signing:Meeting:DefaultDuration")]
    [InlineData("Agreements:Signing:Meeting:DefaultDuration", "13:00:00", "Agreements:Signing:Meeting:DefaultDuration")]
    [InlineData("Agreements:Signing:Meeting:ReminderLeadTimes:0", "00:00:30", "Agreements:Signing:Meeting:ReminderLeadTimes")]
    [InlineData("Agreements:Signing:Meeting:ReminderLeadTimes:1", "45.00:00:00", "Agreements:Signing:Meeting:ReminderLeadTimes")]
    [InlineData("Agreements:Signing:Meeting:CalendarRetryDelay", "00:00:00", "Agreements:Signing:Meeting:CalendarRetryDelay")]
    [InlineData("Agreements:Signing:Meeting:CalendarMaxRetryDelay", "00:00:30", "Agreements:Signing:Meeting:CalendarMaxRetryDelay")]
    [InlineData("Agreements:Signing:Meeting:Organizer", "Signing Room", "Agreements:Signing:Meeting:Organizer")]
    [InlineData("Dashboard:TrendWeeks", "0", "Dashboard:TrendWeeks")]
    [InlineData("Dashboard:TrendMonths", "105", "Dashboard:TrendMonths")]
    [InlineData("Dashboard:AppIdUri", "https://bot.contoso.test/app", "Dashboard:AppIdUri")]
    [InlineData("Dashboard:OpenIdMetadataUrl", "http://login.example.test/meta", "Dashboard:OpenIdMetadataUrl")]
    [InlineData("Operations:Administrators:0", "alexw@example.com", "Operations:Administrators")]
    [InlineData("Operations:RecentFires", "5", "Operations:RecentFires")]
    [InlineData("Operations:InstanceCheckInInterval", "00:00:01", "Operations:InstanceCheckInInterval")]
    [InlineData("Operations:RefreshSeconds", "0", "Operations:RefreshSeconds")]
    [InlineData("Privacy:ClosedEscalationFreeTextDays", "-1", "Privacy:ClosedEscalationFreeTextDays")]
    [InlineData("Privacy:ClosedEscalationFreeTextDays", "36501", "Privacy:ClosedEscalationFreeTextDays")]
    [InlineData("Privacy:RetentionBatchSize", "0", "Privacy:RetentionBatchSize")]
    [InlineData("Privacy:PseudonymKey", "too-short-key", "Privacy:PseudonymKey")]
    [InlineData("CommunicationPlans:ReminderBefore", "-00:00:01", "CommunicationPlans:ReminderBefore")]
    [InlineData("CommunicationPlans:OverdueEscalationAfter", "00:00:00", "CommunicationPlans:OverdueEscalationAfter")]
    [InlineData("CommunicationPlans:ReviewReminderBefore", "31.00:00:00", "CommunicationPlans:ReviewReminderBefore")]
    [InlineData("Approvals:OutOfOffice:Delegates:alexw@example.com", "ALEXW@example.com", "Approvals:OutOfOffice:Delegates")]
    [InlineData("Approvals:OutOfOffice:Delegates:alexw@example.com", " ", "Approvals:OutOfOffice:Delegates")]
    [InlineData("Directory:Source", "Ldap", "Directory:Source")]
    [InlineData("Directory:Source", "Graph", "Directory:Graph:TenantId")] // Graph without a tenant, client or secret
    [InlineData("Directory:Graph:MaxRetries", "11", "Directory:Graph:MaxRetries")]
    [InlineData("Directory:Graph:RetryDelay", "00:00:00.500", "Directory:Graph:RetryDelay")]
    [InlineData("Directory:Graph:BaseUrl", "http://graph.microsoft.com/v1.0", "Directory:Graph:BaseUrl")]
    [InlineData("Directory:Graph:TeamsAppCatalogId", "com.contoso.approvalbot", "Directory:Graph:TeamsAppCatalogId")]
    [InlineData("Storage:Sqlite:Synchronous", "Off", "Storage:Sqlite:Synchronous")]
    [InlineData("Storage:Sqlite:Synchronous", "1", "Storage:Sqlite:Synchronous")]
    public async Task Start_FailsNamingTheKey_WhenASettingIsOutOfRange(string key, string value, string named)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions
            {
                Mode = BotTestMode.LocalDevelopment,
                Settings = new Dictionary<string, string?> { [key] = value },
            });
        });
        Assert.Contains(named, Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_Succeeds_WhenEverySettingHasItsDefault()
    {
        await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions { Mode = BotTestMode.LocalDevelopment });
        Assert.True((await bot.Http.GetAsync("/healthz")).IsSuccessStatusCode);
    }

    private static string Flatten(Exception error)
    {
        var messages = new List<string>();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
            if (e is AggregateException aggregate) messages.AddRange(aggregate.InnerExceptions.Select(Flatten));
        }
        return string.Join(" | ", messages);
    }
}
