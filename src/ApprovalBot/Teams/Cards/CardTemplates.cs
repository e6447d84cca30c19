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

    /// <summary>The form that starts an approval request; data <c>RequestFormCardData</c> (Approvals/Cards).</summary>
    public const string ApprovalRequestForm = "approval-request-form";

    /// <summary>The form that creates or revises an agreement draft; data <c>AgreementFormCardData</c> (Agreements/Cards).</summary>
    public const string AgreementForm = "agreement-form";

    /// <summary>An agreement's summary with its status and buttons; data <c>AgreementCardData</c> (Agreements/Cards).</summary>
    public const string Agreement = "agreement";

    /// <summary>One approval request as one viewer sees it; data ApprovalCardData (Approvals/Cards).</summary>
    public const string Approval = "approval";

    /// <summary>Requests with an Open button each; data ApprovalListCardData (Approvals/Cards).</summary>
    public const string ApprovalList = "approval-list";

    /// <summary>One support escalation as one viewer sees it; data EscalationCardData (Escalations/Cards).</summary>
    public const string Escalation = "escalation";

    /// <summary>Escalations, most urgent first, with an Open button each; data EscalationListCardData (Escalations/Cards).</summary>
    public const string EscalationList = "escalation-list";

    /// <summary>Whom to call about an agreement: L1–L3 contacts, open escalations, the provider's contacts; data EscalationWhoCardData (Escalations/Cards).</summary>
    public const string EscalationWho = "escalation-who";

    /// <summary>The form that opens an escalation; data EscalationFormCardData (Escalations/Cards).</summary>
    public const string EscalationForm = "escalation-form";

    /// <summary>The satisfaction survey sent to the reporter after a resolution; data EscalationSurveyCardData (Escalations/Cards).</summary>
    public const string EscalationSurvey = "escalation-survey";

    /// <summary>KPIs of an agreement (or all) over a period; data KpiCardData (Kpis/Cards).</summary>
    public const string Kpi = "kpi";

    /// <summary>One person's status digest: waiting approvals, active escalations, KPIs of their agreements; data DigestCardData (Digests/Cards).</summary>
    public const string Digest = "digest";

    /// <summary>The end of an agreement's term: notice-deadline reminder with Renew / Let expire / Terminate; data TermCardData (Agreements/Term).</summary>
    public const string AgreementTerm = "agreement-term";

    /// <summary>A data-protection incident: its clock, contacts and who acknowledged, with Acknowledge; data BreachCardData (Breaches/Cards).</summary>
    public const string DataBreach = "data-breach";
    /// <summary>An agreement (or its renewed term) came into force: the key terms for the departments' channels, with Acknowledge; data AnnouncementCardData (Agreements/Announcement).</summary>
    public const string AgreementAnnouncement = "agreement-announcement";
    /// <summary>Signing an approved agreement: the hash, who has signed, the typed-name box and Sign; data SigningCardData (Agreements/Signing).</summary>
    public const string AgreementSigning = "agreement-signing";
    /// <summary>Negotiation with the provider: the revision sent, its documents and hashes, Accept and Request changes; data NegotiationCardData (Agreements/Negotiation).</summary>
    public const string AgreementNegotiation = "agreement-negotiation";

    public static IReadOnlyList<string> All { get; } =
    [
        Welcome, Help, CommandHelp, Notice,
        ApprovalRequestForm, AgreementForm, Agreement, AgreementTerm, AgreementAnnouncement, AgreementSigning, AgreementNegotiation,
        Approval, ApprovalList,
        Escalation, EscalationList, EscalationWho, EscalationForm, EscalationSurvey,
        Kpi, Digest,
        DataBreach,
    ];
}
