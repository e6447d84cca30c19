using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ApprovalBot.Agreements.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Teams;

namespace ApprovalBot.Agreements.Teams;

/// <summary>
/// A step of the drafting form: checks and saves the inputs of the section the card showed (a new draft from the first
/// step), then goes where the button said — the next or previous section, a section chosen, the agreement card (Save
/// and close), or a submission (which, when something is still missing, shows every problem on the form at once). A
/// form posted without a section (a card sent before the form had steps) saves the sections that one card had.
/// </summary>
public sealed class SaveAgreementForm(
    AgreementViews views, AgreementCards cards, CreateAgreementDraft create, ReviseAgreement revise, SubmitAgreement submit, StandardTerms standard, TeamsPeople people)
{
    public async Task<JsonObject> HandleAsync(string verb, JsonElement? data, PersonId me, CancellationToken cancellationToken)
    {
        var values = AgreementForm.Parse(data);
        var section = AgreementForm.SectionOf(data);
        IReadOnlyCollection<AgreementFormSection> sections = section is { } one ? [one] : AgreementForm.OneCardSections;
        var shown = section ?? AgreementFormSection.Basics;
        var target = AgreementActionTarget.Read(data);
        long? agreementId = verb == AgreementVerbs.Revise ? target?.AgreementId : null;
        var revision = target?.Revision;
        var errors = AgreementForm.Validate(values).Where(e => sections.Contains(AgreementFormSections.SectionOf(e.Key)))
            .ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var current = agreementId is { } existing ? await views.FindAsync(existing.ToString(CultureInfo.InvariantCulture), track: false, cancellationToken) : null;
        var formPeople = await ResolveAsync(values, sections, current, me, errors, cancellationToken);
        if (errors.Count > 0) return cards.RenderForm(values, errors, "Please correct the fields marked below.", agreementId, revision, shown);
        if (agreementId is not null && current is null) return cards.RenderForm(values, null, "That agreement does not exist (any more).", agreementId, revision, shown);

        try
        {
            var baseTerms = current is null
                ? standard.For(formPeople.Oversight, values.Provider, values.ProviderContact)
                : sections.Contains(AgreementFormSection.Basics)
                    ? standard.ForRevision(current.Terms, formPeople.Oversight, values.Provider, values.ProviderContact)
                    : current.Terms;
            var terms = section is null ? AgreementForm.Apply(values, baseTerms, formPeople.Oversight, formPeople.DataProtection) : AgreementForm.Apply(values, baseTerms, formPeople, sections);
            var saved = agreementId is { } id
                ? await revise.HandleAsync(id, terms, me, cancellationToken)
                : await create.HandleAsync(values.Name!, terms, me, cancellationToken);
            if (saved is null) return cards.RenderForm(values, null, "That agreement does not exist (any more).", agreementId, revision, shown);
            return await GoOnAsync(saved, AgreementForm.GoOf(data), shown, agreementId is null, me, cancellationToken);
        }
        catch (DomainException e)
        {
            return cards.RenderForm(values, null, e.Message, agreementId, revision, shown);
        }
    }

    private async Task<JsonObject> GoOnAsync(Agreement saved, string? go, AgreementFormSection shown, bool created, PersonId me, CancellationToken cancellationToken)
    {
        var all = AgreementFormSections.All;
        var at = all.ToList().IndexOf(shown);
        var notice = created ? $"Draft #{saved.Id} saved." : "Changes saved.";
        AgreementFormSection? next = go switch
        {
            "next" => all[Math.Min(at + 1, all.Count - 1)],
            "back" => all[Math.Max(at - 1, 0)],
            _ => AgreementFormSections.Parse(go),
        };
        if (next is { } section) return await views.EditFormAsync(saved, cancellationToken, section, notice: notice);
        if (go == "submit") return await SubmitAgreementAction.SubmitCardAsync(submit, views, saved, me, cancellationToken);
        return await views.CardAsync(saved, me, cancellationToken, notice: created
            ? $"Draft #{saved.Id} saved. Submit it when it is ready."
            : $"Revision {saved.CurrentRevision.Number} saved.");
    }

    /// <summary>
    /// The people the sections name: oversight owners (none typed: the author), L1–L3 contacts and our data-protection
    /// contacts; an address nobody has is an error on its field. Sections not on the card keep the agreement's people.
    /// </summary>
    private async Task<AgreementFormPeople> ResolveAsync(
        AgreementFormValues values, IReadOnlyCollection<AgreementFormSection> sections, Agreement? current, PersonId me, Dictionary<string, string> errors, CancellationToken cancellationToken)
    {
        async Task<List<PersonId>> FindAllAsync(IReadOnlyList<string> addresses, string field)
        {
            var found = new List<PersonId>();
            foreach (var address in addresses)
            {
                if (await people.FindAsync(address, cancellationToken) is { } person) found.Add(person.Id);
                else errors.TryAdd(field, $"Not in the directory: {address}.");
            }

            return found;
        }

        var oversight = current?.Terms.OversightOwners.ToList() ?? [];
        if (sections.Contains(AgreementFormSection.Basics) && !errors.ContainsKey(AgreementFormFields.Oversight))
        {
            oversight = await FindAllAsync(AgreementForm.OversightAddresses(values), AgreementFormFields.Oversight);
            if (oversight.Count == 0 && !errors.ContainsKey(AgreementFormFields.Oversight)) oversight.Add(me);
        }

        var levels = new Dictionary<SupportLevel, List<PersonId>>();
        foreach (var level in Enum.GetValues<SupportLevel>())
        {
            var field = AgreementFormFields.ContactsOf(level);
            levels[level] = sections.Contains(AgreementFormSection.Service) && !errors.ContainsKey(field)
                ? await FindAllAsync(Approvals.Cards.AddressList.Split(values.ContactsOf(level)), field)
                : [];
        }

        var dataProtection = new List<ContactPoint>();
        if (sections.Contains(AgreementFormSection.DataProtection) && !errors.ContainsKey(AgreementFormFields.DataProtectionContacts))
        {
            foreach (var address in AgreementForm.DataProtectionAddresses(values))
            {
                if (await people.FindAsync(address, cancellationToken) is { } person)
                    dataProtection.Add(new ContactPoint(person.DisplayName, person.Id, person.Email, role: "Data protection"));
                else errors.TryAdd(AgreementFormFields.DataProtectionContacts, $"Not in the directory: {address}.");
            }

            // The same people as before (the form shows those with a Teams account): keep the step's contacts as they are.
            var kept = current?.Terms.DataProtection?.OurContacts.Where(c => c.Person is not null).Select(c => c.Person!.Value).ToHashSet() ?? [];
            if (kept.SetEquals(dataProtection.Select(c => c.Person!.Value))) dataProtection.Clear();
        }

        return new AgreementFormPeople(oversight, levels[SupportLevel.L1], levels[SupportLevel.L2], levels[SupportLevel.L3]) { DataProtection = dataProtection };
    }
}
