using ApprovalBot.Domain.Common;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Commands;

namespace ApprovalBot.Escalations.Teams;

/// <summary>
/// A command that applies one action to one escalation: <c>&lt;name&gt; &lt;id&gt;</c>, followed by a text when
/// <see cref="TextMissing"/> says what to write (the reason or note; required), or by nothing otherwise.
/// </summary>
public sealed record EscalationCommand(CommandInfo Info, EscalationAction Action, string? TextMissing = null);

/// <summary>The escalation action commands, one table: registered from it, and looked up in it by the handler.</summary>
public static class EscalationCommands
{
    private const string Area = "Escalations";

    public static readonly EscalationCommand Ack = new(new CommandInfo(
        "ack", "ack <id>", "Acknowledge an escalation: its response clock stops.", ["ack E-42", "ack 42"]) { Area = Area },
        EscalationAction.Acknowledge);

    public static readonly EscalationCommand Hold = new(new CommandInfo(
        "hold", "hold <id> <reason>", "Put an escalation on hold while you wait for someone else: both clocks pause.",
        ["hold E-42 Waiting for the vendor's engineer"]) { Area = Area },
        EscalationAction.Hold, "Say why it is on hold.");

    public static readonly EscalationCommand Resume = new(new CommandInfo(
        "resume", "resume <id>", "End the hold of an escalation: the clocks run again.", ["resume E-42"]) { Area = Area },
        EscalationAction.Resume);

    public static readonly EscalationCommand Resolve = new(new CommandInfo(
        "resolve", "resolve <id> <note>", "Resolve an escalation with a note for the reporter: both clocks stop.",
        ["resolve E-42 Replaced the failed disk"]) { Area = Area },
        EscalationAction.Resolve, "Add a note saying what fixed it; the reporter gets it.");

    public static readonly EscalationCommand Reopen = new(new CommandInfo(
        "reopen", "reopen <id> <reason>", "Reopen a resolved or closed escalation within its reopen window.",
        ["reopen E-42 The disk failed again"]) { Area = Area },
        EscalationAction.Reopen, "Say why it needs reopening.");

    public static readonly EscalationCommand Close = new(new CommandInfo(
        "close", "close <id>", "Close a resolved escalation.", ["close E-42"]) { Area = Area },
        EscalationAction.Close);

    public static readonly CommandInfo Assign = new(
        "assign", "assign <id> <me | e-mail | @person>", "Make someone the assignee of an escalation; they get the card.",
        ["assign E-42 me", "assign 42 adelev@contoso.com"]) { Area = Area };

    /// <summary>The commands <see cref="EscalationCommandHandler"/> handles (all but <c>assign</c>).</summary>
    public static readonly IReadOnlyList<EscalationCommand> Simple = [Ack, Hold, Resume, Resolve, Reopen, Close];

    public static EscalationCommand? Find(string name) =>
        Simple.FirstOrDefault(c => string.Equals(c.Info.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The arguments after the first word, as typed (the reason or note keeps its spacing and quotes).</summary>
    public static string AfterFirstWord(string arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var text = arguments.Trim();
        var end = 0;
        while (end < text.Length && !char.IsWhiteSpace(text[end])) end++;
        return text[end..].Trim();
    }
}

/// <summary><c>ack</c>, <c>hold</c>, <c>resume</c>, <c>resolve</c>, <c>reopen</c>, <c>close</c>: one action on one escalation, answered with its card.</summary>
public sealed class EscalationCommandHandler(EscalationChat chat) : IActivityHandler
{
    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var line = turn.Command!;
        var command = EscalationCommands.Find(line.Name) ?? throw new InvalidOperationException($"'{line.Name}' is no escalation command.");
        if (await chat.IdAsync(turn, command.Info, line.Tokens.Count > 0 ? line.Tokens[0] : null, cancellationToken) is not { } id) return null;
        var text = EscalationCommands.AfterFirstWord(line.Arguments);
        if (command.TextMissing is { } missing && text.Length == 0)
            return await chat.UsageAsync(turn, command.Info, missing, cancellationToken);
        if (command.TextMissing is null && text.Length > 0)
            return await chat.UsageAsync(turn, command.Info, $"{command.Info.Name} takes only the escalation's number, nothing after it ('{HelpCards.Quote(text)}').", cancellationToken);
        if (await chat.SenderAsync(turn, cancellationToken) is not { } me) return null;
        return await chat.ActAsync(turn, command.Info, me, id, command.Action, command.TextMissing is null ? null : text, cancellationToken);
    }
}

/// <summary>
/// <c>assign &lt;id&gt; &lt;person&gt;</c>: the person is <c>me</c>, an e-mail address or UPN the directory knows, or an
/// @mention in the message (known to the bot once that person has a chat with it: Teams' mention carries only their
/// Teams user id).
/// </summary>
public sealed class AssignCommandHandler(EscalationChat chat, TeamsPeople people) : IActivityHandler
{
    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var info = EscalationCommands.Assign;
        var line = turn.Command!;
        if (await chat.IdAsync(turn, info, line.Tokens.Count > 0 ? line.Tokens[0] : null, cancellationToken) is not { } id) return null;
        if (await chat.SenderAsync(turn, cancellationToken) is not { } me) return null;
        var (assignee, error) = await AssigneeAsync(turn.Activity, EscalationCommands.AfterFirstWord(line.Arguments), me, cancellationToken);
        if (assignee is null) return await chat.UsageAsync(turn, info, error!, cancellationToken);
        return await chat.ActAsync(turn, info, me, id, EscalationAction.Assign, null, cancellationToken, assignee);
    }

    private async Task<(PersonId? Person, string? Error)> AssigneeAsync(Activity activity, string who, PersonId me, CancellationToken cancellationToken)
    {
        var mentioned = Mentions(activity);
        if (mentioned.Count > 1) return (null, "Mention one person only.");
        if (mentioned.Count == 1)
        {
            return await people.IdentifyAsync(mentioned[0], cancellationToken) is { } person
                ? (person, null)
                : (null, $"I do not know {HelpCards.Quote(mentioned[0].Name ?? "that person")} yet (they have not talked to me). Give their e-mail address instead.");
        }

        if (who.Length == 0) return (null, "Whom? Give me, an e-mail address or @mention them.");
        if (string.Equals(who, "me", StringComparison.OrdinalIgnoreCase)) return (me, null);
        if (!who.Contains('@', StringComparison.Ordinal) || who.Any(char.IsWhiteSpace))
            return (null, $"'{HelpCards.Quote(who)}' is not a person I can look up: give me, an e-mail address or @mention them.");
        return await people.FindAsync(who, cancellationToken) is { } found
            ? (found.Id, null)
            : (null, $"Nobody in the directory has the e-mail address or sign-in name '{HelpCards.Quote(who)}'.");
    }

    /// <summary>The people @mentioned in the message, the bot itself left out.</summary>
    private static List<ChannelAccount> Mentions(Activity activity) =>
        [.. (activity.Entities ?? [])
            .Where(e => string.Equals(e.Type, "mention", StringComparison.OrdinalIgnoreCase))
            .Select(e => e.GetMentioned())
            .OfType<ChannelAccount>()
            .Where(m => !string.IsNullOrEmpty(m.Id) && !string.Equals(m.Id, activity.Recipient?.Id, StringComparison.OrdinalIgnoreCase))
            .DistinctBy(m => m.Id, StringComparer.OrdinalIgnoreCase)];
}
