using ApprovalBot.Teams.Cards;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddCards();
var app = builder.Build();
app.MapGet("/healthz", () => "ok");
app.Run();

public partial class Program;
