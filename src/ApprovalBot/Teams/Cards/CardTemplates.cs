namespace ApprovalBot.Teams.Cards;

/// <summary>
/// Names of the card templates: <c>cards/&lt;name&gt;.json</c>, embedded into the host as resource
/// <c>cards/&lt;name&gt;.json</c>. The data each expects is described by the records in <c>CardData.cs</c>.
/// </summary>
public static class CardTemplates
{
    /// <summary>Greets the installing user; data <see cref="WelcomeCardData"/>.</summary>
    public const string Welcome = "welcome";

    /// <summary>All commands, by section; data <see cref="HelpCardData"/>.</summary>
    public const string Help = "help";

    /// <summary>One command in detail, optionally under an error line; data <see cref="CommandHelpCardData"/>.</summary>
    public const string CommandHelp = "command-help";

    /// <summary>A titled message with optional facts; data <see cref="NoticeCardData"/>.</summary>
    public const string Notice = "notice";

    /// <summary>One approval request as one viewer sees it; data ApprovalCardData (Approvals/Cards).</summary>
    public const string Approval = "approval";

    /// <summary>Requests with an Open button each; data ApprovalListCardData (Approvals/Cards).</summary>
    public const string ApprovalList = "approval-list";

    public static IReadOnlyList<string> All { get; } = [Welcome, Help, CommandHelp, Notice, Approval, ApprovalList];
}
