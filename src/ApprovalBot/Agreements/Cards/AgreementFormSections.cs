using System.Globalization;
using System.Text.RegularExpressions;
using ApprovalBot.Domain.Agreements;

namespace ApprovalBot.Agreements.Cards;

/// <summary>
/// The drafting form's sections, in order. The form shows one at a time; each step saves the draft (Next, Back, a
/// section button, Save and close), so a draft is never lost and can be resumed where work stopped.
/// </summary>
public enum AgreementFormSection
{
    /// <summary>Name, provider, the provider's account manager, oversight owners.</summary>
    Basics,

    /// <summary>Services in scope, hardware/software, each party's responsibilities, support constraints.</summary>
    Scope,

    /// <summary>Start date and duration or end date, notice period, pricing and additional services.</summary>
    Term,

    /// <summary>P1–P4 response and resolution targets, escalation contacts L1–L3.</summary>
    Service,

    /// <summary>Our data-protection contacts, the provider's, and the breach notification deadline.</summary>
    DataProtection,
}

/// <summary>Which section each input and each part of the terms belongs to, and the words for it.</summary>
public static partial class AgreementFormSections
{
    public static readonly IReadOnlyList<AgreementFormSection> All = Enum.GetValues<AgreementFormSection>();

    /// <summary>The id the card and its action data use: <c>basics</c>, <c>scope</c>, <c>term</c>, <c>service</c>, <c>dataprotection</c>.</summary>
    public static string Id(AgreementFormSection section) => section.ToString().ToLowerInvariant();

    /// <summary>The section with that id (any case), or null.</summary>
    public static AgreementFormSection? Parse(string? id) =>
        All.Where(s => string.Equals(Id(s), id?.Trim(), StringComparison.OrdinalIgnoreCase)).Select(s => (AgreementFormSection?)s).FirstOrDefault();

    public static string Title(AgreementFormSection section) => section switch
    {
        AgreementFormSection.Basics => "Provider and owners",
        AgreementFormSection.Scope => "Scope and responsibilities",
        AgreementFormSection.Term => "Term and pricing",
        AgreementFormSection.DataProtection => "Data protection",
        _ => "Service levels and escalation",
    };

    /// <summary>What the summary calls problems of terms the form does not edit (they are set through the API).</summary>
    public const string OtherTerms = "Other terms (set through the REST API)";

    /// <summary>The section an input is on.</summary>
    public static AgreementFormSection SectionOf(string inputId) => inputId switch
    {
        AgreementFormFields.Name or AgreementFormFields.Provider or AgreementFormFields.ProviderContact or AgreementFormFields.Oversight => AgreementFormSection.Basics,
        AgreementFormFields.Services or AgreementFormFields.OtherServices or AgreementFormFields.Coverage or AgreementFormFields.OurResponsibilities
            or AgreementFormFields.ProviderResponsibilities or AgreementFormFields.Constraints => AgreementFormSection.Scope,
        AgreementFormFields.StartDate or AgreementFormFields.Duration or AgreementFormFields.EndDate or AgreementFormFields.Notice or AgreementFormFields.Pricing
            or AgreementFormFields.Amount or AgreementFormFields.Currency or AgreementFormFields.AdditionalServices => AgreementFormSection.Term,
        AgreementFormFields.DataProtectionContacts or AgreementFormFields.ProviderDataProtectionContact or AgreementFormFields.BreachDeadlineHours => AgreementFormSection.DataProtection,
        _ => AgreementFormSection.Service,
    };

    /// <summary>
    /// Where a problem of <see cref="AgreementTerms.Problems"/> is shown: its section and the input it goes under (null
    /// for terms the form does not edit: KPIs, the business calendar, termination reasons, and whatever else the API
    /// sets; they are listed in the summary only).
    /// </summary>
    public static (AgreementFormSection? Section, string? Input) Place(TermsProblem problem, AgreementTerms terms)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(terms);
        string? input = problem.Field switch
        {
            nameof(AgreementTerms.ProviderName) => AgreementFormFields.Provider,
            nameof(AgreementTerms.OversightOwners) => AgreementFormFields.Oversight,
            nameof(AgreementTerms.CommunicationPlan) => AgreementFormFields.ProviderContact,
            nameof(AgreementTerms.Services) => AgreementFormFields.Services,
            nameof(AgreementTerms.Coverage) => AgreementFormFields.Coverage,
            nameof(AgreementTerms.Responsibilities) => terms.Responsibilities is { Ours.Count: 0 } ? AgreementFormFields.OurResponsibilities : AgreementFormFields.ProviderResponsibilities,
            nameof(AgreementTerms.SupportConstraints) => AgreementFormFields.Constraints,
            nameof(AgreementTerms.StartDate) => AgreementFormFields.StartDate,
            nameof(AgreementTerms.EndDate) => AgreementFormFields.EndDate,
            nameof(AgreementTerms.TerminationNotice) => AgreementFormFields.Notice,
            nameof(AgreementTerms.Pricing) => AgreementFormFields.Pricing,
            nameof(AgreementTerms.AdditionalServices) => AgreementFormFields.AdditionalServices,
            nameof(AgreementTerms.ServiceLevels) => AgreementFormFields.P1Response,
            nameof(AgreementTerms.Escalation) => AgreementFormFields.L1Contacts,
            nameof(AgreementTerms.DataProtection) => AgreementFormFields.ProviderDataProtectionContact,
            _ => null,
        };
        return input is null ? (null, null) : (SectionOf(input), input);
    }

    /// <summary>The message a form user needs for a problem (the plan's problem means the provider's contact is missing here).</summary>
    public static string Message(TermsProblem problem, AgreementTerms terms) =>
        problem.Field == nameof(AgreementTerms.CommunicationPlan) && terms.CommunicationPlan is null
            ? "Give the provider's account manager: the communication plan needs a contact at the provider."
            : problem.Message;

    /// <summary>A period as typed: <c>12 months</c>, <c>1 year</c>, <c>6 weeks</c>, <c>90 days</c> (years count as 12 months); null when it is not one.</summary>
    public static CalendarPeriod? Period(string? text)
    {
        var match = text is null ? null : PeriodPattern().Match(text.Trim());
        if (match is not { Success: true } || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count)) return null;
        var unit = match.Groups[2].Value.ToLowerInvariant();
        (count, var periodUnit) = unit[0] switch
        {
            'd' => (count, PeriodUnit.Days),
            'w' => (count, PeriodUnit.Weeks),
            'y' => (count * 12, PeriodUnit.Months),
            _ => (count, PeriodUnit.Months),
        };
        return count is > 0 and <= 1000 ? new CalendarPeriod(count, periodUnit) : null;
    }

    /// <summary>A period in words, as <see cref="Period(string?)"/> reads it back: <c>3 months</c>, <c>1 week</c>.</summary>
    public static string PeriodText(CalendarPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        var unit = period.Unit switch
        {
            PeriodUnit.Days => "day",
            PeriodUnit.Weeks => "week",
            _ => "month",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{period.Count} {unit}{(period.Count == 1 ? string.Empty : "s")}");
    }

    /// <summary>A target as typed: <c>15 min</c>, <c>4 h</c>, <c>1 h 30 min</c>, <c>2 d</c> (also <c>15m</c>, <c>4h</c>, <c>2 days</c>); null when it is not one or not positive.</summary>
    public static TimeSpan? Target(string? text)
    {
        var match = text is null ? null : TargetPattern().Match(text.Trim());
        if (match is not { Success: true }) return null;
        var total = TimeSpan.Zero;
        for (var i = 0; i < match.Groups[1].Captures.Count; i++)
        {
            var n = int.Parse(match.Groups[1].Captures[i].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            total += char.ToLowerInvariant(match.Groups[2].Captures[i].Value[0]) switch
            {
                'd' => TimeSpan.FromDays(n),
                'h' => TimeSpan.FromHours(n),
                _ => TimeSpan.FromMinutes(n),
            };
        }

        return total > TimeSpan.Zero && total <= TimeSpan.FromDays(366) ? total : null;
    }

    /// <summary>Lines of a multi-line input: trimmed, blank lines and leading bullets dropped.</summary>
    public static IReadOnlyList<string> Lines(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : [.. text.Split('\n').Select(l => l.Trim().TrimStart('•', '-', '*').Trim()).Where(l => l.Length > 0)];

    /// <summary>An additional service typed as <c>name: price</c> (or <c>name = price</c>); null when the line is not one.</summary>
    public static (string Name, decimal Price)? PricedLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var at = line.LastIndexOfAny([':', '=']);
        if (at <= 0) return null;
        var name = line[..at].Trim();
        var price = AgreementForm.Amount(line[(at + 1)..].Trim());
        return name.Length > 0 && price is { } p ? (name, p) : null;
    }

    [GeneratedRegex(@"^(\d{1,4})\s*(days?|d|weeks?|w|months?|mo|years?|y)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PeriodPattern();

    [GeneratedRegex(@"^(?:(\d{1,6})\s*(days?|d|hours?|hrs?|h|minutes?|mins?|m)\s*)+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TargetPattern();
}
