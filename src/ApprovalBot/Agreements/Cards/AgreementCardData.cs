using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Agreements.Cards;

// The data of cards/agreement.json (serialised by CardRenderer: camelCase, nulls left out). Every text is ready to
// show: AgreementCards formats dates, amounts, durations and names; the template only places them.

/// <summary>Data of the agreement card.</summary>
/// <param name="AgreementId">Carried back by the buttons.</param>
/// <param name="Revision">The current revision's number; the buttons carry it back.</param>
/// <param name="Name">The agreement's name.</param>
/// <param name="Status">The status in words, for example "Changes requested".</param>
/// <param name="Tone">The header's colour.</param>
/// <param name="StatusDetail">One line on the status, for example "Signed off by Mia on 2026-01-20."</param>
/// <param name="Comment">The decision's comment or the termination reason that goes with the status.</param>
/// <param name="ApprovalRequestId">The approval request the agreement is in, shown as "Approval request #id".</param>
/// <param name="Error">An error line at the top.</param>
/// <param name="Notice">A confirmation line at the top, for example "Saved."</param>
/// <param name="Provider">Null when not given.</param>
/// <param name="Term">Start and end dates; null when neither is given.</param>
/// <param name="Services">The services in scope in words; null when not given.</param>
/// <param name="Coverage">Null when not given.</param>
/// <param name="Pricing">Structure, amount and currency; null when not given.</param>
/// <param name="TerminationNotice">For example "3 months"; null when not given.</param>
/// <param name="OversightOwners">Names, comma-separated; null when nobody is named.</param>
/// <param name="ServiceLevels">P1–P4 targets; empty when not given.</param>
/// <param name="Escalation">L1–L3; empty when not given.</param>
/// <param name="Problems">What submission still needs; empty when complete.</param>
/// <param name="EarlierRevisions">Earlier revisions and their outcomes, newest first (at most a few).</param>
/// <param name="OlderRevisionsNote">Set when more earlier revisions exist than are listed.</param>
/// <param name="CanSubmit">Shows the Submit button.</param>
/// <param name="CanEdit">Shows the Edit button.</param>
/// <param name="AdditionalServices">Services outside the scope and their prices ("On-site visit: 150 EUR"); empty when none.</param>
/// <param name="OurResponsibilities">Our duties, one sentence each; empty when not given.</param>
/// <param name="ProviderResponsibilities">The provider's duties; empty when not given.</param>
/// <param name="Constraints">Support constraints; empty when none.</param>
/// <param name="Plan">The communication plan in words; null when not given.</param>
/// <param name="DataProtection">The data-protection contacts of both sides and the breach notification deadline; null when not given.</param>
/// <param name="Kpis">The KPIs, their targets and the reporting frequency in words; null when not given.</param>
/// <param name="Negotiation">
/// Where the negotiation with the provider stands, for example "Agreed upon 2026-01-20 by Pat Provider." or "Pending
/// further negotiation: …"; null when the revision was never sent to the provider.
/// </param>
public sealed record AgreementCardData(
    long AgreementId,
    int Revision,
    string Name,
    string Status,
    NoticeTone Tone,
    string? StatusDetail,
    string? Comment,
    long? ApprovalRequestId,
    string? Error,
    string? Notice,
    string? Provider,
    string? Term,
    string? Services,
    string? Coverage,
    string? Pricing,
    string? TerminationNotice,
    string? OversightOwners,
    IReadOnlyList<AgreementSlaRow> ServiceLevels,
    IReadOnlyList<AgreementEscalationRow> Escalation,
    IReadOnlyList<string> Problems,
    IReadOnlyList<AgreementRevisionLine> EarlierRevisions,
    string? OlderRevisionsNote,
    bool CanSubmit,
    bool CanEdit,
    IReadOnlyList<string> AdditionalServices,
    IReadOnlyList<string> OurResponsibilities,
    IReadOnlyList<string> ProviderResponsibilities,
    IReadOnlyList<string> Constraints,
    AgreementPlanData? Plan = null,
    string? Kpis = null,
    AgreementDataProtectionData? DataProtection = null,
    string? Negotiation = null);

/// <summary>The data-protection terms, each line ready to show.</summary>
/// <param name="OurContacts">Our data-protection contacts, for example "Megan (Data protection): Megan, megan@contoso.example".</param>
/// <param name="ProviderContacts">The provider's, with how to reach them.</param>
/// <param name="Deadline">The breach notification deadline in words, for example "72 h after a breach is reported".</param>
public sealed record AgreementDataProtectionData(string OurContacts, string ProviderContacts, string Deadline);

/// <summary>The communication plan, each line ready to show.</summary>
/// <param name="OurContacts">Our points of contact, for example "Alice (Service owner)".</param>
/// <param name="ProviderContacts">The provider's, with how to reach them.</param>
/// <param name="Updates">When updates are due and where they go, for example "Every Monday at 09:00 (Europe/Berlin), to Alice in a 1:1 chat".</param>
/// <param name="Reviews">The review-meeting cadence; null when none is agreed.</param>
public sealed record AgreementPlanData(string OurContacts, string ProviderContacts, string Updates, string? Reviews);

/// <summary>One row of the service-level table.</summary>
/// <param name="Priority">P1–P4.</param>
/// <param name="Response">Time to first response, for example "15 min".</param>
/// <param name="Resolution">Time to resolution, for example "4 h".</param>
/// <param name="Hours">"24×7" or "Business hours": how the targets are counted.</param>
public sealed record AgreementSlaRow(string Priority, string Response, string Resolution, string Hours);

/// <summary>One escalation level.</summary>
/// <param name="Level">L1–L3.</param>
/// <param name="Description">What the level is, for example "Technical support"; null when not given.</param>
/// <param name="Contacts">Who is told, in words.</param>
public sealed record AgreementEscalationRow(string Level, string? Description, string Contacts);

/// <summary>An earlier revision and what was decided about it.</summary>
/// <param name="Summary">For example "Revision 1: changes requested by Bob on 2026-01-10".</param>
/// <param name="Comment">The decision's comment, shortened; null when there was none.</param>
public sealed record AgreementRevisionLine(string Summary, string? Comment);
