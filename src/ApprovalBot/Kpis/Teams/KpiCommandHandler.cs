using ApprovalBot.Agreements;
using ApprovalBot.Approvals;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Kpis;
using ApprovalBot.Kpis.Cards;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Commands;

namespace ApprovalBot.Kpis.Teams;

/// <summary>
/// <c>kpi &lt;agreement|all&gt; [period]</c>: the KPI card. The agreement is matched like every command matches it
/// (<see cref="ActiveAgreementNames"/>); names and periods may both have spaces, so the words are split where the name
/// matches exactly one agreement and the rest is a period (the longest such name wins; when none matches, the complaint is about the words before the longest period).
/// </summary>
public sealed class KpiCommandHandler(BotDbContext db, ComputeKpis kpis, KpiCards cards, ApprovalClock clock, HelpCards help, global::ApprovalBot.Teams.Outbox.Outbox outbox) : IActivityHandler
{
    public static readonly CommandInfo Info = new(
        "kpi", "kpi <agreement|all> [period]",
        $"Escalation KPIs of an agreement, or of all: incidents opened, time to acknowledge and resolve, SLA compliance. Periods: {KpiPeriod.Forms}.",
        ["kpi Contoso", "kpi Contoso 7d", "kpi all last month", "kpi Contoso 2026-Q4"]) { Area = "Reports", InMenu = false };

    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var tokens = turn.Command!.Tokens;
        var (agreement, period, problem) = tokens.Count == 0
            ? (null, null, "Which agreement? Give its name, or all.")
            : Split(tokens, await ActiveAgreementNames.ListAsync(db, cancellationToken), PeriodError);
        var card = problem is not null ? help.One(Info, problem) : await CardAsync(agreement, period, cancellationToken);
        return await outbox.ReplyWithCardAsync(turn, card, cancellationToken);
    }

    private async Task<System.Text.Json.Nodes.JsonObject> CardAsync(Agreement? agreement, string? period, CancellationToken cancellationToken)
    {
        var result = await kpis.HandleAsync(new ComputeKpisInput(agreement?.Id, period), cancellationToken);
        return result.Error is { } error ? help.One(Info, error) : cards.Render(result, clock.TimeZone);
    }

    /// <summary>The agreement (null for all) and the period words, or why the words are neither.</summary>
    /// <param name="periodError">Why words are not a period now; null when they are.</param>
    internal static (Agreement? Agreement, string? Period, string? Problem) Split(IReadOnlyList<string> tokens, IReadOnlyList<Agreement> active, Func<string, string?> periodError)
    {
        string? periodProblem = null;
        string? nameProblem = null;
        for (var i = tokens.Count; i >= 1; i--)
        {
            var name = string.Join(' ', tokens.Take(i));
            var rest = string.Join(' ', tokens.Skip(i));
            var isAll = string.Equals(name, "all", StringComparison.OrdinalIgnoreCase);
            var found = isAll ? [] : ActiveAgreementNames.Match(active, name);
            var error = rest.Length == 0 ? null : periodError(rest);
            if (isAll || found.Count == 1)
            {
                if (error is null) return (isAll ? null : found[0], rest, null);
                periodProblem ??= error;
            }
            else if (error is null)
            {
                // The shortest name before a period that reads is what was meant ("fabrikam 7d" is about "fabrikam").
                nameProblem = ActiveAgreementNames.Problem(name, found) + " Or give all.";
            }
        }

        return (null, null, periodProblem ?? nameProblem ?? "Which agreement? Give its name, or all.");
    }

    private string? PeriodError(string words) => KpiPeriod.TryParse(words, clock.TimeZone, clock.Now, out _, out var error) ? null : error;
}
