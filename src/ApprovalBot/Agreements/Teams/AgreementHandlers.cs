using System.Globalization;
using System.Text.Json.Nodes;
using ApprovalBot.Agreements.Cards;
using ApprovalBot.Approvals;
using ApprovalBot.Approvals.Teams;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Commands;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Agreements.Teams;

/// <summary>Renders an agreement card for a person, with the buttons they may use.</summary>
public sealed class AgreementViews(BotDbContext db, AgreementCards cards, TeamsPeople people)
{
    public async Task<JsonObject> CardAsync(Agreement agreement, PersonId? viewer, CancellationToken cancellationToken, string? error = null, string? notice = null)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var involved = agreement.Revisions.Select(r => r.CreatedBy).Append(agreement.CreatedBy).Concat(agreement.Terms.OversightOwners)
            .Concat(agreement.Terms.Escalation?.Levels.SelectMany(l => l.Contacts.People) ?? [])
            .Concat(agreement.NegotiationRounds.Select(r => r.DecidedBy).OfType<PersonId>());
        var names = await people.NamesAsync(involved, cancellationToken);
        var canChange = viewer is { } v && AgreementAccess.CanChange(agreement, v);
        var canSubmit = canChange && agreement.Status is AgreementStatus.Draft or AgreementStatus.ChangesRequested
            && agreement.CurrentRevision.SubmittedAt is null && agreement.Terms.Problems().Count == 0;
        var canEdit = canChange && agreement.Status is AgreementStatus.Draft or AgreementStatus.ChangesRequested or AgreementStatus.Rejected;
        var requestId = await db.ApprovalRequests.AsNoTracking()
            .Where(r => r.Subject.Kind == ApprovalSubjectKind.Agreement && r.Subject.Id == agreement.Id)
            .OrderByDescending(r => r.Id).Select(r => (long?)r.Id).FirstOrDefaultAsync(cancellationToken);
        return cards.Render(new AgreementCardContext(agreement, names, canSubmit, canEdit, requestId, error, notice));
    }

    /// <summary>
    /// The drafting form filled with the agreement's current terms (people by their e-mail addresses), at
    /// <paramref name="section"/>, or else where work stopped: the first section with something still missing. With
    /// <paramref name="showProblems"/> (a refused submission) every problem is on the card at once: under its field,
    /// and listed by section at the top.
    /// </summary>
    public async Task<JsonObject> EditFormAsync(
        Agreement agreement, CancellationToken cancellationToken, AgreementFormSection? section = null, bool showProblems = false, string? error = null, string? notice = null)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var terms = agreement.Terms;
        var emails = new Dictionary<PersonId, string?>();
        foreach (var person in terms.OversightOwners.Concat(terms.Escalation?.Levels.SelectMany(l => l.Contacts.People) ?? []).Distinct())
        {
            var found = await people.GetAsync(person, cancellationToken);
            emails[person] = found?.Email ?? found?.UserPrincipalName ?? person.Value;
        }

        var placed = terms.Problems().Select(p => (Place: AgreementFormSections.Place(p, terms), Message: AgreementFormSections.Message(p, terms))).ToList();
        var shown = section ?? placed.Where(p => p.Place.Section is not null).Select(p => p.Place.Section!.Value).Order().Cast<AgreementFormSection?>().FirstOrDefault()
            ?? AgreementFormSection.Basics;
        Dictionary<string, string>? errors = null;
        List<AgreementFormProblem>? problems = null;
        if (showProblems && placed.Count > 0)
        {
            errors = placed.Where(p => p.Place.Input is not null).GroupBy(p => p.Place.Input!).ToDictionary(g => g.Key, g => string.Join(" ", g.Select(p => p.Message).Distinct()), StringComparer.Ordinal);
            problems = [.. placed.OrderBy(p => p.Place.Section ?? (AgreementFormSection)int.MaxValue)
                .Select(p => new AgreementFormProblem(p.Place.Section is { } s ? AgreementFormSections.Title(s) : AgreementFormSections.OtherTerms, p.Message))
                .Distinct()];
            error ??= problems.Count == 1
                ? "Not complete yet: one thing is still needed; it is listed below and under its field."
                : string.Create(CultureInfo.InvariantCulture, $"Not complete yet: {problems.Count} things are still needed; each is listed below by step, and under its field.");
        }

        return cards.RenderForm(
            AgreementForm.FromTerms(agreement.Name, terms, p => emails.GetValueOrDefault(p)), errors, error, agreement.Id, agreement.CurrentRevision.Number, shown, problems, notice);
    }

    /// <summary>An agreement by id (<c>7</c>, <c>#7</c>) or by name (any case).</summary>
    public async Task<Agreement?> FindAsync(string key, bool track, CancellationToken cancellationToken)
    {
        var query = track ? db.Agreements : db.Agreements.AsNoTracking();
        if (long.TryParse(key.TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return await query.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        var lower = key.Trim().ToLowerInvariant();
#pragma warning disable CA1304, CA1311, CA1862 // translated to SQL lower(), on both providers
        return await query.FirstOrDefaultAsync(a => a.Name.ToLower() == lower, cancellationToken);
#pragma warning restore CA1304, CA1311, CA1862
    }
}

/// <summary><c>agreement new | list | show &lt;name&gt; | edit &lt;name&gt; | submit &lt;name&gt;</c>.</summary>
public sealed class AgreementCommandHandler(
    BotDbContext db, AgreementViews views, AgreementCards cards, SubmitAgreement submit, TeamsPeople people, HelpCards help, global::ApprovalBot.Teams.Outbox.Outbox outbox) : IActivityHandler
{
    public static readonly CommandInfo Info = new(
        "agreement", "agreement new | list | show <name> | edit <name> | submit <name>",
        "Draft an IT support agreement, see one, change a draft, and submit it for approval (manager → Legal → Management).",
        ["agreement new", "agreement list", "agreement show Contoso help desk", "agreement submit 3"]) { Area = "Agreements" };

    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var tokens = turn.Command!.Tokens;
        var sub = tokens.Count > 0 ? tokens[0].ToLowerInvariant() : "";
        var rest = string.Join(' ', tokens.Skip(1));
        var me = await people.IdentifyAsync(turn.Activity, cancellationToken);
        JsonObject card;
        switch (sub)
        {
            case "new" when rest.Length == 0:
                card = cards.RenderForm();
                break;
            case "list" when rest.Length == 0:
                var all = await db.Agreements.AsNoTracking().OrderBy(a => a.Name).Take(50).Select(a => new { a.Id, a.Name, a.Status }).ToListAsync(cancellationToken);
                await outbox.ReplyAsync(turn, new Activity
                {
                    Type = ActivityTypes.Message, TextFormat = "plain",
                    Text = all.Count == 0 ? "There are no agreements yet. Start one with: agreement new"
                        : string.Join('\n', all.Select(a => string.Create(CultureInfo.InvariantCulture, $"#{a.Id} {a.Name} ({a.Status})"))),
                }, cancellationToken);
                return null;
            case "show" or "edit" or "submit" when rest.Length > 0:
                var agreement = await views.FindAsync(rest, track: false, cancellationToken);
                if (agreement is null)
                {
                    card = help.One(Info, $"There is no agreement '{HelpCards.Quote(rest)}'. See: agreement list");
                    break;
                }
                card = sub switch
                {
                    "show" => await views.CardAsync(agreement, me, cancellationToken),
                    "edit" => me is { } editor && AgreementAccess.CanChange(agreement, editor)
                        ? await views.EditFormAsync(agreement, cancellationToken)
                        : await views.CardAsync(agreement, me, cancellationToken, error: "Only the agreement's author and its oversight owners can change it."),
                    _ => await SubmitAgreementAction.SubmitCardAsync(submit, views, agreement, me, cancellationToken),
                };
                break;
            default:
                card = help.One(Info, sub.Length == 0 ? "What should I do with agreements?" : $"'{HelpCards.Quote(string.Join(' ', tokens))}' is not an agreement command.");
                break;
        }

        return await outbox.ReplyWithCardAsync(turn, card, cancellationToken);
    }
}

/// <summary>The agreement form's steps (Create, Revise: save and go on), and the agreement card's Submit, Edit and Show buttons.</summary>
public sealed class AgreementActionHandler(AgreementViews views, SaveAgreementForm saveForm, SubmitAgreement submit, TeamsPeople people) : IActivityHandler
{
    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var action = turn.CardAction!.Action!;
        var data = new ActionData(action.Data);
        var me = await people.IdentifyAsync(turn.Activity, cancellationToken);
        if (me is null) return InvokeResponse.Message("I cannot tell who you are (your Teams account has no directory id).");
        switch (action.Verb)
        {
            case AgreementVerbs.Create:
            case AgreementVerbs.Revise:
                return InvokeResponse.Card(await saveForm.HandleAsync(action.Verb, data.Element, me.Value, cancellationToken));
            default:
                if (AgreementActionTarget.Read(data.Element)?.AgreementId is not { } id || await views.FindAsync(id.ToString(CultureInfo.InvariantCulture), false, cancellationToken) is not { } agreement)
                    return InvokeResponse.Message("That agreement does not exist (any more).");
                if (action.Verb == AgreementVerbs.Submit)
                    return InvokeResponse.Card(await SubmitAgreementAction.SubmitCardAsync(submit, views, agreement, me, cancellationToken));
                if (action.Verb == AgreementVerbs.Edit && AgreementAccess.CanChange(agreement, me.Value))
                    return InvokeResponse.Card(await views.EditFormAsync(agreement, cancellationToken));
                return InvokeResponse.Card(await views.CardAsync(agreement, me, cancellationToken));
        }
    }
}

/// <summary>Submitting from a command or a button: the outcome as words for the agreement card.</summary>
internal static class SubmitAgreementAction
{
    public static async Task<(Agreement Agreement, string? Error, string? Notice, bool Incomplete)> TrySubmitAsync(
        SubmitAgreement submit, AgreementViews views, Agreement shown, PersonId? me, CancellationToken cancellationToken)
    {
        if (me is not { } person) return (shown, "I cannot tell who you are (your Teams account has no directory id).", null, false);
        try
        {
            var (agreement, request) = await submit.HandleAsync(shown.Id, person, null, cancellationToken);
            return (agreement ?? shown, null, $"Submitted for approval as request #{request!.Id}. I will tell you about each decision.", false);
        }
        catch (AgreementIncompleteException e)
        {
            return (await ReloadAsync(views, shown, cancellationToken), "Not complete yet: " + string.Join(" ", e.Problems.Select(p => p.Message)), null, true);
        }
        catch (DomainException e)
        {
            return (await ReloadAsync(views, shown, cancellationToken), e.Message, null, false);
        }
    }

    /// <summary>
    /// Submits and answers with a card: the agreement card (submitted, or why not); when the terms are incomplete and
    /// the viewer may change them, the drafting form with every problem at once, at the first step that has one.
    /// </summary>
    public static async Task<JsonObject> SubmitCardAsync(SubmitAgreement submit, AgreementViews views, Agreement shown, PersonId? me, CancellationToken cancellationToken)
    {
        var result = await TrySubmitAsync(submit, views, shown, me, cancellationToken);
        if (result.Incomplete && me is { } person && AgreementAccess.CanChange(result.Agreement, person)
            && result.Agreement.Status is AgreementStatus.Draft or AgreementStatus.ChangesRequested)
            return await views.EditFormAsync(result.Agreement, cancellationToken, showProblems: true);
        return await views.CardAsync(result.Agreement, me, cancellationToken, result.Error, result.Notice);
    }

    private static async Task<Agreement> ReloadAsync(AgreementViews views, Agreement shown, CancellationToken cancellationToken) =>
        await views.FindAsync(shown.Id.ToString(CultureInfo.InvariantCulture), track: false, cancellationToken) ?? shown;
}
