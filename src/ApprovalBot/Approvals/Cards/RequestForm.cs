using System.Text.Json;
using System.Text.Json.Nodes;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Approvals.Cards;

/// <summary>Verbs of the approval request form (<c>cards/approval-request-form.json</c>).</summary>
public static class RequestFormVerbs
{
    /// <summary>Submits the form; the action's data is the form's inputs (<see cref="RequestForm.Parse"/>).</summary>
    public const string Submit = "approval.submit";
}

/// <summary>The input ids of the request form; also the keys of <see cref="RequestForm.Validate"/>'s result.</summary>
public static class RequestFormFields
{
    public const string Title = "title";
    public const string Details = "details";
    public const string LinkTitle = "linkTitle";
    public const string Link = "link";
    public const string Flow = "flow";
    public const string Approvers = "approvers";
    public const string Rule = "rule";
}

/// <summary>What the request form sent, as typed: trimmed, blank as null, nothing else checked yet.</summary>
public sealed record RequestFormValues(string? Title, string? Details, string? LinkTitle, string? Link, string? Flow, string? Approvers, string? Rule);

/// <summary>
/// Reads and checks the request form. <see cref="Validate"/> applies the domain's limits (title, details, link) up
/// front so that the requester sees every problem next to its field at once, instead of the first exception.
/// </summary>
public static class RequestForm
{
    /// <summary>Most people a requester may name directly; a larger group is a flow's job.</summary>
    public const int MaxApprovers = 25;

    /// <summary>Rule value: the first approver to decide decides (the default).</summary>
    public const string RuleAny = "any";

    /// <summary>Rule value: every named approver must approve.</summary>
    public const string RuleAll = "all";

    /// <summary>
    /// The value of the flow choice "No flow: I name the approvers" (a choice needs a non-empty value); reads as no flow.
    /// Once a flow is chosen in a compact choice set, this choice is the only way back.
    /// </summary>
    public const string NoFlow = "(none)";

    /// <summary>Reads the form's inputs from an action's data; missing or non-string values read as null, and so does <see cref="NoFlow"/>.</summary>
    public static RequestFormValues Parse(JsonElement? actionData) => new(
        FormFields.Text(actionData, RequestFormFields.Title),
        FormFields.Text(actionData, RequestFormFields.Details),
        FormFields.Text(actionData, RequestFormFields.LinkTitle),
        FormFields.Text(actionData, RequestFormFields.Link),
        FormFields.Text(actionData, RequestFormFields.Flow) is { } flow && flow != NoFlow ? flow : null,
        FormFields.Text(actionData, RequestFormFields.Approvers),
        FormFields.Text(actionData, RequestFormFields.Rule));

    /// <summary>
    /// Every problem with the values, by field id (empty when the form can be submitted). Who the approvers are is
    /// the directory's to say; this checks only that the text names people the right way.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Validate(RequestFormValues values, IReadOnlyList<string> flowNames)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(flowNames);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);

        if (values.Title is null)
            errors[RequestFormFields.Title] = "Give the request a title.";
        else if (values.Title.Length > ApprovalRequest.MaxTitleLength)
            errors[RequestFormFields.Title] = $"The title is at most {ApprovalRequest.MaxTitleLength} characters; this has {values.Title.Length}.";

        if (values.Details is { Length: > ApprovalRequest.MaxDetailsLength })
            errors[RequestFormFields.Details] = $"The details are at most {ApprovalRequest.MaxDetailsLength} characters; these have {values.Details.Length}.";

        if (values.LinkTitle is { Length: > RequestLinkTitleMax })
            errors[RequestFormFields.LinkTitle] = $"The link title is at most {RequestLinkTitleMax} characters.";
        if (values.Link is null && values.LinkTitle is not null)
            errors[RequestFormFields.Link] = "Give the link's address, or clear its title.";
        else if (values.Link is not null && LinkProblem(values.Link, values.LinkTitle) is { } linkProblem)
            errors[RequestFormFields.Link] = linkProblem;

        var approvers = ApproverAddresses(values);
        if (values.Flow is not null && approvers.Count > 0)
            errors[RequestFormFields.Approvers] = "Choose a flow or name the approvers, not both.";
        else if (values.Flow is null && approvers.Count == 0)
            errors[flowNames.Count > 0 ? RequestFormFields.Flow : RequestFormFields.Approvers] =
                flowNames.Count > 0 ? "Choose a flow, or name the approvers below." : "Name at least one approver.";

        if (values.Flow is not null && !flowNames.Contains(values.Flow, StringComparer.OrdinalIgnoreCase))
            errors[RequestFormFields.Flow] = "There is no such flow (any more); choose one from the list.";

        if (!errors.ContainsKey(RequestFormFields.Approvers) && AddressList.Problem(values.Approvers, MaxApprovers, "approvers") is { } approverProblem)
            errors[RequestFormFields.Approvers] = approverProblem;

        if (values.Rule is not null && !IsRule(values.Rule))
            errors[RequestFormFields.Rule] = "Choose whether any one approver or all of them decide.";

        return errors;
    }

    /// <summary>The approvers typed: split at <c>,</c> and <c>;</c>, trimmed, duplicates (ignoring case) dropped.</summary>
    public static IReadOnlyList<string> ApproverAddresses(RequestFormValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return AddressList.Split(values.Approvers);
    }

    /// <summary>The link to attach, or null when none was given; titled with the address's host when untitled. Call after <see cref="Validate"/>.</summary>
    public static RequestLink? Link(RequestFormValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Link is null)
        {
            return null;
        }

        return new RequestLink(values.LinkTitle ?? DefaultLinkTitle(values.Link), values.Link);
    }

    /// <summary>How the named approvers decide: <see cref="DecisionRule.All"/> for "all", otherwise <see cref="DecisionRule.Any"/>.</summary>
    public static DecisionRule DecisionRuleOf(RequestFormValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return string.Equals(values.Rule, RuleAll, StringComparison.OrdinalIgnoreCase) ? DecisionRule.All : DecisionRule.Any;
    }

    private const int RequestLinkTitleMax = 200;

    private static bool IsRule(string rule) =>
        string.Equals(rule, RuleAny, StringComparison.OrdinalIgnoreCase) || string.Equals(rule, RuleAll, StringComparison.OrdinalIgnoreCase);

    private static string DefaultLinkTitle(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length is > 0 and <= RequestLinkTitleMax ? uri.Host : "Link";

    /// <summary>The rule of <see cref="RequestLink"/>, with a message for the form; the domain has the last word.</summary>
    private static string? LinkProblem(string url, string? title)
    {
        if (url.Length > RequestLink.MaxUrlLength)
            return $"The link is at most {RequestLink.MaxUrlLength} characters.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(uri.Host))
            return "Give a full https:// address, for example https://contoso.sharepoint.com/quote.pdf.";
        if (!string.IsNullOrEmpty(uri.UserInfo))
            return "The link must not contain a user name or password.";
        try
        {
            _ = new RequestLink(title is { Length: > 0 and <= RequestLinkTitleMax } ? title : DefaultLinkTitle(url), url);
            return null;
        }
        catch (DomainException e)
        {
            return e.Message;
        }
    }
}

/// <summary>Renders the request form: empty, or again with the previous values and their errors.</summary>
public sealed class RequestFormCards(CardRenderer renderer)
{
    /// <summary>
    /// The form with <paramref name="flowNames"/> to choose from. <paramref name="errors"/> (field id → message) are
    /// shown under their fields; <paramref name="error"/> at the top (when only field errors are given, a line asking
    /// to correct them; an error for an unknown field joins the top line).
    /// </summary>
    public JsonObject Render(IReadOnlyList<string> flowNames, RequestFormValues? values = null, IReadOnlyDictionary<string, string>? errors = null, string? error = null) =>
        renderer.Render(CardTemplates.ApprovalRequestForm, RequestFormCardData.Create(flowNames, values, errors, error));
}
