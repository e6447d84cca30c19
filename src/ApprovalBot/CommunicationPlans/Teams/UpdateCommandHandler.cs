using ApprovalBot.Agreements;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.CommunicationPlans;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Commands;

namespace ApprovalBot.CommunicationPlans.Teams;

/// <summary>
/// <c>update &lt;agreement&gt; &lt;text&gt;</c>: posts a provider update (<see cref="PostProviderUpdate"/>). The agreement's
/// name is matched like every command matches it (<see cref="ActiveAgreementNames"/>); as names have spaces, the longest
/// run of leading words that names exactly one Active agreement is the name and the rest, as typed, is the update. The
/// reply is a notice: on time or late, and when the next update is due; or the usage with what was wrong.
/// </summary>
public sealed class UpdateCommandHandler(
    BotDbContext db, PostProviderUpdate post, TeamsPeople people, HelpCards help, CardRenderer cards, global::ApprovalBot.Teams.Outbox.Outbox outbox) : IActivityHandler
{
    public static readonly CommandInfo Info = new(
        "update", "update <agreement> <text>",
        $"Post the provider's update on an agreement, as its communication plan asks (at most {UpdateObligation.MaxTextLength} characters). Counted on time when posted by its due time.",
        ["update Contoso All backups green; patch night moved to Thursday."]) { Area = "Communication plans", InMenu = false };

    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var line = turn.Command!;
        var active = await ActiveAgreementNames.ListAsync(db, cancellationToken);
        var (agreement, text, problem) = Split(line.Arguments, active);
        if (problem is not null) return await outbox.ReplyWithCardAsync(turn, help.One(Info, problem), cancellationToken);
        if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } me)
            return await outbox.ReplyWithCardAsync(turn, help.Error("I cannot tell who you are (your Teams account has no directory id)."), cancellationToken);

        var name = (await people.GetAsync(me, cancellationToken))?.DisplayName ?? turn.Activity.From?.Name ?? me.Value;
        var result = await post.HandleAsync(new PostProviderUpdateInput(agreement!.Id, text, me, ByName: name), cancellationToken);
        if (result.Refusal is { } refusal)
            return await outbox.ReplyWithCardAsync(turn, refusal.Code == "update.forbidden" ? help.Error(refusal.Message) : help.One(Info, refusal.Message), cancellationToken);

        var zone = await people.TimeZoneAsync(me, PlanMessages.PlanZone(agreement.TermsInForce!.CommunicationPlan!), cancellationToken);
        return await outbox.ReplyWithCardAsync(turn, cards.Render(CardTemplates.Notice, Confirmation(agreement, result, zone)), cancellationToken);
    }

    /// <summary>What the sender is told: counted on time, late, or not counted, the next due time, and any delivery problem.</summary>
    public static NoticeCardData Confirmation(Agreement agreement, PostProviderUpdateResult result, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(result);
        var counted = result.Counted;
        var (title, tone, text) = counted?.State switch
        {
            UpdateState.OnTime => ("Update posted on time", NoticeTone.Good, $"Your update on {agreement.Name} counts as on time."),
            UpdateState.Late => ("Update posted late", NoticeTone.Warning, $"Your update on {agreement.Name} came after its due time: it counts, as late."),
            _ => ("Update posted", NoticeTone.Default, $"The update due for this period on {agreement.Name} was already posted; this one is shared as an additional update and not counted."),
        };
        if (result.DeliveryProblem is { } problem) text += $" It is recorded, but could not be delivered to the plan's destination: {problem}.";
        var facts = new List<NoticeFact>();
        if (counted is not null) facts.Add(new NoticeFact("Was due", ApprovalCardModel.FormatTime(counted.DueAt, zone)));
        if (result.NextDueAt is { } next) facts.Add(new NoticeFact("Next update due", ApprovalCardModel.FormatTime(next, zone)));
        return new NoticeCardData(title, text, result.DeliveryProblem is null ? tone : NoticeTone.Warning, facts);
    }

    /// <summary>The agreement and the update text, or what is wrong with the arguments.</summary>
    internal static (Agreement? Agreement, string? Text, string? Problem) Split(string arguments, IReadOnlyList<Agreement> active)
    {
        var tokens = CommandLine.Tokenize(arguments ?? string.Empty);
        if (tokens.Count == 0) return (null, null, "Which agreement, and what is the update?");
        bool Exact(int words, out Agreement? named)
        {
            var name = string.Join(' ', tokens.Take(words));
            named = active.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));
            return named is not null;
        }

        if (Exact(tokens.Count, out _)) return (null, null, "Write the update after the agreement's name.");
        // An exact name wins over a beginning ("update Contoso help desk fine" is about "Contoso help desk").
        for (var i = tokens.Count - 1; i >= 1; i--)
        {
            if (Exact(i, out var named)) return (named, AfterTokens(arguments!, i), null);
        }

        for (var i = tokens.Count - 1; i >= 1; i--)
        {
            var found = ActiveAgreementNames.Match(active, string.Join(' ', tokens.Take(i)));
            if (found.Count == 1) return (found[0], AfterTokens(arguments!, i), null);
        }

        var first = tokens[0];
        var matches = ActiveAgreementNames.Match(active, first);
        return matches.Count == 1
            ? (null, null, "Write the update after the agreement's name.")
            : (null, null, ActiveAgreementNames.Problem(first, matches));
    }

    /// <summary>The raw text after the first <paramref name="count"/> tokens (quotes group words, as <see cref="CommandLine.Tokenize"/> reads them).</summary>
    internal static string AfterTokens(string arguments, int count)
    {
        var i = 0;
        for (var n = 0; n < count && i < arguments.Length; n++)
        {
            while (i < arguments.Length && char.IsWhiteSpace(arguments[i])) i++;
            if (i < arguments.Length && arguments[i] is '"' or '\u201C' or '\u201D')
            {
                i++;
                while (i < arguments.Length && arguments[i] is not ('"' or '\u201C' or '\u201D')) i++;
                if (i < arguments.Length) i++;
            }
            else
            {
                while (i < arguments.Length && !char.IsWhiteSpace(arguments[i])) i++;
            }
        }

        return arguments[i..].Trim();
    }
}
