namespace ApprovalBot.Teams.Cards;

// The data shapes of the templates in cards/. The renderer serialises them with camelCase names, leaves out nulls,
// and writes enums as camelCase strings. Every string here is treated as untrusted text by the templates
// (cards/README.md). Lists are never null: a template repeats over them with $data, and $data needs an array.

/// <summary>Data of <see cref="CardTemplates.Welcome"/>.</summary>
/// <param name="UserName">The installing user's display name; null or empty greets without a name.</param>
public sealed record WelcomeCardData(string? UserName);

/// <summary>Data of <see cref="CardTemplates.Help"/>.</summary>
public sealed record HelpCardData(IReadOnlyList<HelpSection> Sections);

/// <summary>A group of commands in the help card, for example "Approvals".</summary>
public sealed record HelpSection(string Title, IReadOnlyList<HelpCommand> Commands);

/// <summary>One line of the help card.</summary>
/// <param name="Name">The command word, for example <c>escalate</c>.</param>
/// <param name="Usage">The syntax, for example <c>escalate &lt;ticket&gt; [reason]</c>.</param>
/// <param name="Description">One sentence.</param>
/// <param name="Example">An optional example invocation.</param>
public sealed record HelpCommand(string Name, string Usage, string Description, string? Example = null);

/// <summary>Data of <see cref="CardTemplates.CommandHelp"/>: <c>help &lt;command&gt;</c>, or an unknown command's answer.</summary>
/// <param name="Command">The command to explain (for a mistyped command: the best suggestion), or null.</param>
/// <param name="Error">An error line shown first, for example <c>Unknown command 'escalte'. Did you mean 'escalate'?</c>.</param>
public sealed record CommandHelpCardData(CommandDetail? Command, string? Error = null);

/// <summary>One command in detail.</summary>
public sealed record CommandDetail(string Name, string Usage, string Description, IReadOnlyList<string> Examples);

/// <summary>Data of <see cref="CardTemplates.Notice"/>: a short confirmation or error as a card.</summary>
public sealed record NoticeCardData(string Title, string? Text = null, NoticeTone Tone = NoticeTone.Default, IReadOnlyList<NoticeFact>? Facts = null)
{
    public IReadOnlyList<NoticeFact> Facts { get; init; } = Facts ?? [];
}

/// <summary>A label and a value under a notice.</summary>
public sealed record NoticeFact(string Title, string Value);

/// <summary>The notice's container style (Adaptive Card container styles of the same names).</summary>
public enum NoticeTone
{
    Default,
    Good,
    Warning,
    Attention,
}
