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
            .Concat(agreement.Terms.Escalation?.Levels.SelectMany(l => l.Contacts.People) ?? []);
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

    /// <summary>The drafting form filled with the agreement's current terms, oversight owners by their e-mail addresses.</summary>
    public async Task<JsonObject> EditFormAsync(Agreement agreement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var emails = new Dictionary<PersonId, string?>();
        foreach (var owner in agreement.Terms.OversightOwners)
        {
            var person = await people.GetAsync(owner, cancellationToken);
            emails[owner] = person?.Email ?? person?.UserPrincipalName ?? owner.Value;
        }
        return cards.RenderForm(AgreementForm.FromTerms(agreement.Name, agreement.Terms, p => emails.GetValueOrDefault(p)), agreementId: agreement.Id, revision: agreement.CurrentRevision.Number);
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
                    _ => await SubmitAsync(agreement, me, cancellationToken),
                };
                break;
            default:
                card = help.One(Info, sub.Length == 0 ? "What should I do with agreements?" : $"'{HelpCards.Quote(string.Join(' ', tokens))}' is not an agreement command.");
                break;
        }

        return await outbox.ReplyWithCardAsync(turn, card, cancellationToken);
    }

    private async Task<JsonObject> SubmitAsync(Agreement agreement, PersonId? me, CancellationToken cancellationToken)
    {
        var result = await SubmitAgreementAction.TrySubmitAsync(submit, views, agreement, me, cancellationToken);
        return await views.CardAsync(result.Agreement, me, cancellationToken, result.Error, result.Notice);
    }
}

/// <summary>The agreement form's Create / Save (revise), and the agreement card's Submit, Edit and Show buttons.</summary>
public sealed class AgreementActionHandler(
    AgreementViews views, AgreementCards cards, CreateAgreementDraft create, ReviseAgreement revise, SubmitAgreement submit, StandardTerms standard, TeamsPeople people) : IActivityHandler
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
                return InvokeResponse.Card(await SaveFormAsync(action.Verb, data, me.Value, cancellationToken));
            default:
                if (AgreementActionTarget.Read(data.Element)?.AgreementId is not { } id || await views.FindAsync(id.ToString(CultureInfo.InvariantCulture), false, cancellationToken) is not { } agreement)
                    return InvokeResponse.Message("That agreement does not exist (any more).");
                if (action.Verb == AgreementVerbs.Submit)
                {
                    var result = await SubmitAgreementAction.TrySubmitAsync(submit, views, agreement, me, cancellationToken);
                    return InvokeResponse.Card(await views.CardAsync(result.Agreement, me, cancellationToken, result.Error, result.Notice));
                }
                if (action.Verb == AgreementVerbs.Edit && AgreementAccess.CanChange(agreement, me.Value))
                    return InvokeResponse.Card(await views.EditFormAsync(agreement, cancellationToken));
                return InvokeResponse.Card(await views.CardAsync(agreement, me, cancellationToken));
        }
    }

    private async Task<JsonObject> SaveFormAsync(string verb, ActionData data, PersonId me, CancellationToken cancellationToken)
    {
        var values = AgreementForm.Parse(data.Element);
        var target = AgreementActionTarget.Read(data.Element);
        long? agreementId = verb == AgreementVerbs.Revise ? target?.AgreementId : null;
        var revision = target?.Revision;
        var errors = new Dictionary<string, string>(AgreementForm.Validate(values));
        var owners = new List<PersonId>();
        foreach (var address in AgreementForm.OversightAddresses(values))
        {
            if (await people.FindAsync(address, cancellationToken) is { } person) owners.Add(person.Id);
            else errors["oversight"] = $"Not in the directory: {address}.";
        }
        if (owners.Count == 0 && !errors.ContainsKey("oversight")) owners.Add(me);
        var dataProtection = new List<ContactPoint>();
        foreach (var address in AgreementForm.DataProtectionAddresses(values))
        {
            if (await people.FindAsync(address, cancellationToken) is { } person)
                dataProtection.Add(new ContactPoint(person.DisplayName, person.Id, person.Email, role: "Data protection"));
            else errors[AgreementFormFields.DataProtectionContacts] = $"Not in the directory: {address}.";
        }
        if (errors.Count > 0) return cards.RenderForm(values, errors, "Please correct the fields marked below.", agreementId, revision);

        try
        {
            var current = agreementId is { } existingId ? await views.FindAsync(existingId.ToString(CultureInfo.InvariantCulture), track: false, cancellationToken) : null;
            var baseTerms = current is null
                ? standard.For(owners, values.Provider, values.ProviderContact)
                : standard.ForRevision(current.Terms, owners, values.Provider, values.ProviderContact);
            // The same people as before (the form shows those with a Teams account): keep the section's contacts as they are.
            var keptPeople = baseTerms.DataProtection?.OurContacts.Where(c => c.Person is not null).Select(c => c.Person!.Value).ToHashSet() ?? [];
            if (keptPeople.SetEquals(dataProtection.Select(c => c.Person!.Value))) dataProtection.Clear();
            var terms = AgreementForm.Apply(values, baseTerms, owners, dataProtection);
            Agreement? saved = agreementId is { } id
                ? await revise.HandleAsync(id, terms, me, cancellationToken)
                : await create.HandleAsync(values.Name!, terms, me, cancellationToken);
            if (saved is null) return cards.RenderForm(values, null, "That agreement does not exist (any more).", agreementId, revision);
            return await views.CardAsync(saved, me, cancellationToken, notice: agreementId is null
                ? $"Draft #{saved.Id} saved. Submit it when it is ready."
                : $"Revision {saved.CurrentRevision.Number} saved.");
        }
        catch (DomainException e)
        {
            return cards.RenderForm(values, null, e.Message, agreementId, revision);
        }
    }
}

/// <summary>Submitting from a command or a button: the outcome as words for the agreement card.</summary>
internal static class SubmitAgreementAction
{
    public static async Task<(Agreement Agreement, string? Error, string? Notice)> TrySubmitAsync(
        SubmitAgreement submit, AgreementViews views, Agreement shown, PersonId? me, CancellationToken cancellationToken)
    {
        if (me is not { } person) return (shown, "I cannot tell who you are (your Teams account has no directory id).", null);
        try
        {
            var (agreement, request) = await submit.HandleAsync(shown.Id, person, null, cancellationToken);
            return (agreement ?? shown, null, $"Submitted for approval as request #{request!.Id}. I will tell you about each decision.");
        }
        catch (AgreementIncompleteException e)
        {
            return (await ReloadAsync(views, shown, cancellationToken), "Not complete yet: " + string.Join(" ", e.Problems.Select(p => p.Message)), null);
        }
        catch (DomainException e)
        {
            return (await ReloadAsync(views, shown, cancellationToken), e.Message, null);
        }
    }

    private static async Task<Agreement> ReloadAsync(AgreementViews views, Agreement shown, CancellationToken cancellationToken) =>
        await views.FindAsync(shown.Id.ToString(CultureInfo.InvariantCulture), track: false, cancellationToken) ?? shown;
}
