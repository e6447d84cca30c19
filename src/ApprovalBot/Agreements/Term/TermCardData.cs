using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Agreements.Term;

/// <summary>The verbs of the end-of-term card (<c>cards/agreement-term.json</c>); data <see cref="TermActionData"/>, plus the <c>reason</c> input.</summary>
public static class TermVerbs
{
    public const string Renew = "agreement.term.renew";
    public const string LetExpire = "agreement.term.expire";
    public const string Terminate = "agreement.term.terminate";
    public const string ReasonInput = "reason";
}

/// <summary>What the card's buttons send back: the agreement and the version the card showed.</summary>
public sealed record TermActionData(long AgreementId, long Version);

public sealed record TermChoiceItem(string Title, string Value);

/// <summary>
/// Data of <see cref="CardTemplates.AgreementTerm"/>: one agreement's end of term, one viewer's copy (<see cref="CanChoose"/>
/// shows Renew and Let expire, <see cref="CanTerminate"/> the reason input and Terminate).
/// </summary>
public sealed record TermCardData(
    long AgreementId,
    string Name,
    NoticeTone Tone,
    string Text,
    IReadOnlyList<NoticeFact> Facts,
    bool CanChoose,
    IReadOnlyList<TermChoiceItem> Reasons,
    TermActionData Action,
    string? Error = null,
    string? Notice = null,
    bool CanTerminate = false);
