using ApprovalBot;
using ApprovalBot.Agreements;
using ApprovalBot.Agreements.Api;
using ApprovalBot.Api;
using ApprovalBot.Approvals;
using ApprovalBot.Digests;
using ApprovalBot.Digests.Api;
using ApprovalBot.Escalations;
using ApprovalBot.Escalations.Api;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Health;
using ApprovalBot.Kpis;
using ApprovalBot.Kpis.Api;
using ApprovalBot.OrgDirectory;
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
builder.AddKpis();
builder.AddDigests();
builder.AddHealth();
builder.AddApi();

var app = builder.Build();

app.MapBotMessages();
app.MapHealth();
app.MapApi();
app.MapAgreementsApi();
app.MapApprovalsApi();
app.MapEscalationsApi();
app.MapKpisApi();
app.MapDigestsApi();

await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the integration tests.</summary>
public partial class Program;
