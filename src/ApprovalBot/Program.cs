using ApprovalBot;
using ApprovalBot.Agreements;
using ApprovalBot.Agreements.Api;
using ApprovalBot.Api;
using ApprovalBot.Approvals;
using ApprovalBot.Breaches;
using ApprovalBot.Breaches.Api;
using ApprovalBot.CommunicationPlans;
using ApprovalBot.CommunicationPlans.Api;
using ApprovalBot.Digests;
using ApprovalBot.Digests.Api;
using ApprovalBot.Escalations;
using ApprovalBot.Escalations.Api;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Dashboard;
using ApprovalBot.Health;
using ApprovalBot.Kpis;
using ApprovalBot.Kpis.Api;
using ApprovalBot.Metrics;
using ApprovalBot.Operations;
using ApprovalBot.OrgDirectory;
using ApprovalBot.Privacy;
using ApprovalBot.Privacy.Api;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Scheduling;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Manifest;

// `package-manifest …` writes the Teams app package and exits; everything else runs the bot.
if (args is ["package-manifest", ..])
    return ManifestCommandLine.Run(args[1..], Console.Out, Console.Error);

var builder = WebApplication.CreateBuilder(args);

builder.AddClock();
builder.AddStorage();
builder.AddScheduling();
builder.AddBotProtocol();
builder.AddDirectory();
builder.AddTeams();
builder.AddApprovals();
builder.AddAgreements();
builder.AddEscalations();
builder.AddBreaches();
builder.AddCommunicationPlans();
builder.AddKpis();
builder.AddDigests();
builder.AddHealth();
builder.AddApi();
builder.AddDashboard();
builder.AddMetrics();
builder.AddOperations();
builder.AddPrivacy();

var app = builder.Build();

app.MapBotMessages();
app.MapHealth();
app.MapApi();
app.MapAgreementsApi();
app.MapApprovalsApi();
app.MapEscalationsApi();
app.MapBreachesApi();
app.MapKpisApi();
app.MapDashboard();
app.MapProviderUpdatesApi();
app.MapDigestsApi();
app.MapMetrics();
app.MapOperations();
app.MapPrivacyApi();

await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the integration tests.</summary>
public partial class Program;
