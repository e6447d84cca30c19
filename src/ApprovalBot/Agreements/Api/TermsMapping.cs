using System.Globalization;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.Agreements.Api;

/// <summary>
/// <see cref="TermsDto"/> to and from the domain's <see cref="AgreementTerms"/>. Reading builds each section with the
/// domain's own constructors, so their rules apply; every problem (an unknown name, an unknown address, a value a
/// constructor refuses) becomes a field error under <c>terms.…</c> and reading goes on, so a caller sees them all at once.
/// </summary>
internal static class TermsMapping
{
    public static async Task<AgreementTerms?> ReadAsync(TermsDto? dto, ApiInput input, CancellationToken ct)
    {
        var terms = await ReadWhatIsValidAsync(dto, input, ct);
        return input.HasErrors ? null : terms;
    }

    /// <summary>
    /// The terms with every section that reads without errors (a section with an error is left out, as if not given),
    /// so that an import can list the problems of what is missing next to the errors; null only without <paramref name="dto"/>.
    /// </summary>
    public static async Task<AgreementTerms?> ReadWhatIsValidAsync(TermsDto? dto, ApiInput input, CancellationToken ct)
    {
        if (dto is null)
        {
            input.Error("terms", "terms is required (sections may be left out of a draft, but not the object).");
            return null;
        }

        var owners = await input.PeopleAsync(dto.OversightOwners, "terms.oversightOwners", ct);
        var terms = new AgreementTerms
        {
            ProviderName = string.IsNullOrWhiteSpace(dto.ProviderName) ? null : dto.ProviderName.Trim(),
            OversightOwners = owners,
            Services = Services(dto.Services, input),
            Coverage = input.Enum<SupportCoverage>(dto.Coverage, "terms.coverage"),
            StartDate = dto.StartDate,
            EndDate = EndDate(dto, input),
            Pricing = Pricing(dto.Pricing, input),
            AdditionalServices = AdditionalServices(dto.AdditionalServices, input),
            Responsibilities = Responsibilities(dto.Responsibilities, input),
            SupportConstraints = TextList(dto.SupportConstraints, "terms.supportConstraints", AgreementTerms.MaxSupportConstraintLength, input),
            ServiceLevels = ServiceLevels(dto.ServiceLevels, input),
            Escalation = await EscalationAsync(dto.Escalation, input, ct),
            TerminationNotice = Period(dto.TerminationNotice, "terms.terminationNotice", input),
            CommunicationPlan = await PlanAsync(dto.CommunicationPlan, input, ct),
            Kpis = Kpis(dto.Kpis, input),
            BusinessCalendar = Calendar(dto.BusinessCalendar, input),
            TerminationReasons = TerminationReasons(dto.TerminationReasons, input),
            DataProtection = await DataProtectionAsync(dto.DataProtection, input, ct),
        };
        return terms;
    }

    private static System.Collections.ObjectModel.ReadOnlyCollection<string> TerminationReasons(IReadOnlyList<string?>? list, ApiInput input)
    {
        var reasons = new List<string>();
        foreach (var (reason, i) in (list ?? []).Select((r, i) => (r, i)))
        {
            var text = reason?.Trim() ?? "";
            if (text.Length is 0 or > AgreementTerms.MaxTerminationReasonLength)
                input.Error($"terms.terminationReasons[{i}]", $"A termination reason is 1 to {AgreementTerms.MaxTerminationReasonLength} characters.");
            else if (reasons.Contains(text, StringComparer.OrdinalIgnoreCase))
                input.Error($"terms.terminationReasons[{i}]", $"'{text}' is listed twice.");
            else reasons.Add(text);
        }
        return reasons.AsReadOnly();
    }

    /// <summary>The end date as given, or computed from the duration (start + duration − 1 day); both given must agree.</summary>
    private static DateOnly? EndDate(TermsDto dto, ApiInput input)
    {
        if (dto.Duration is null) return dto.EndDate;
        var duration = Period(dto.Duration, "terms.duration", input);
        if (duration is null) return dto.EndDate;
        if (dto.StartDate is not { } start)
        {
            input.Error("terms.duration", "A duration counts from the start date: give startDate too, or give endDate instead.");
            return dto.EndDate;
        }

        var end = TermDates.EndOf(start, duration);
        if (dto.EndDate is { } given && given != end)
            input.Error("terms.duration", $"The duration ends the term on {TermDates.Format(end)}, but endDate is {TermDates.Format(given)}; give one of them.");
        return end;
    }

    private static System.Collections.ObjectModel.ReadOnlyCollection<AdditionalService> AdditionalServices(IReadOnlyList<AdditionalServiceDto?>? list, ApiInput input)
    {
        var services = new List<AdditionalService>();
        for (var i = 0; i < (list?.Count ?? 0); i++)
        {
            var field = $"terms.additionalServices[{i}]";
            var a = list![i];
            if (a?.Price is null) input.Error(field + ".price", "price is required.");
            var built = a?.Price is { } price ? input.Build(field, () => new AdditionalService(a.Name ?? "", price)) : null;
            if (built is null) continue;
            if (services.Any(s => string.Equals(s.Name, built.Name, StringComparison.OrdinalIgnoreCase)))
                input.Error(field + ".name", $"'{built.Name}' is listed twice.");
            else services.Add(built);
        }

        if (services.Count > AgreementTerms.MaxAdditionalServices)
            input.Error("terms.additionalServices", $"List at most {AgreementTerms.MaxAdditionalServices} additional services.");
        return services.AsReadOnly();
    }

    private static Responsibilities? Responsibilities(ResponsibilitiesDto? dto, ApiInput input)
    {
        if (dto is null) return null;
        var ours = TextList(dto.Ours, "terms.responsibilities.ours", Domain.Agreements.Responsibilities.MaxItemLength, input);
        var provider = TextList(dto.Provider, "terms.responsibilities.provider", Domain.Agreements.Responsibilities.MaxItemLength, input);
        return input.Build("terms.responsibilities", () => new Responsibilities(ours, provider));
    }

    /// <summary>Sentences: each trimmed, 1 to <paramref name="maxLength"/> characters, none twice (any case); bad ones are errors and left out.</summary>
    private static System.Collections.ObjectModel.ReadOnlyCollection<string> TextList(IReadOnlyList<string?>? list, string field, int maxLength, ApiInput input)
    {
        var items = new List<string>();
        foreach (var (item, i) in (list ?? []).Select((r, i) => (r, i)))
        {
            var text = item?.Trim() ?? "";
            if (text.Length is 0 || text.Length > maxLength)
                input.Error($"{field}[{i}]", $"Each entry is 1 to {maxLength} characters.");
            else if (items.Contains(text, StringComparer.OrdinalIgnoreCase))
                input.Error($"{field}[{i}]", $"'{text}' is listed twice.");
            else items.Add(text);
        }

        return items.AsReadOnly();
    }

    private static ServicesInScope? Services(ServicesDto? dto, ApiInput input)
    {
        if (dto is null) return null;
        var kinds = Names<ServiceKind>(dto.Kinds, "terms.services.kinds", input);
        return kinds is null ? null : input.Build("terms.services", () => new ServicesInScope(kinds, dto.Other));
    }

    private static Pricing? Pricing(PricingDto? dto, ApiInput input)
    {
        if (dto is null) return null;
        var structure = Required(input.Enum<PricingStructure>(dto.Structure, "terms.pricing.structure"), dto.Structure, "terms.pricing.structure", input);
        if (dto.Amount is null) input.Error("terms.pricing.amount", "amount is required.");
        return structure is { } s && dto.Amount is { } amount ? input.Build("terms.pricing", () => new Pricing(s, amount, dto.Currency ?? "")) : null;
    }

    private static ServiceLevelTargets? ServiceLevels(IReadOnlyList<ServiceLevelDto?>? list, ApiInput input)
    {
        if (list is null) return null;
        var targets = new List<PriorityTarget>();
        var ok = true;
        for (var i = 0; i < list.Count; i++)
        {
            var field = $"terms.serviceLevels[{i}]";
            var t = list[i];
            var priority = Required(input.Enum<Priority>(t?.Priority, field + ".priority"), t?.Priority, field + ".priority", input);
            if (t?.ResponseMinutes is null) input.Error(field + ".responseMinutes", "responseMinutes is required.");
            if (t?.ResolutionMinutes is null) input.Error(field + ".resolutionMinutes", "resolutionMinutes is required.");
            var target = priority is { } p && t?.ResponseMinutes is { } response && t.ResolutionMinutes is { } resolution
                ? input.Build(field, () => new PriorityTarget(p, TimeSpan.FromMinutes(response), TimeSpan.FromMinutes(resolution), t.AroundTheClock ?? false))
                : null;
            if (target is null) ok = false;
            else targets.Add(target);
        }

        return ok ? input.Build("terms.serviceLevels", () => new ServiceLevelTargets(targets)) : null;
    }

    private static async Task<EscalationProcedure?> EscalationAsync(IReadOnlyList<EscalationLevelDto?>? list, ApiInput input, CancellationToken ct)
    {
        if (list is null) return null;
        var levels = new List<EscalationLevel>();
        var ok = true;
        for (var i = 0; i < list.Count; i++)
        {
            var field = $"terms.escalation[{i}]";
            var l = list[i];
            var level = Required(input.Enum<SupportLevel>(l?.Level, field + ".level"), l?.Level, field + ".level", input);
            var people = await input.PeopleAsync(l?.People, field + ".people", ct);
            var built = level is { } lv && people.Count == (l?.People?.Count ?? 0)
                ? input.Build(field, () => new EscalationLevel(lv, new EscalationContacts(people, l?.ChannelId), l?.Description))
                : null;
            if (built is null) ok = false;
            else levels.Add(built);
        }

        return ok ? input.Build("terms.escalation", () => new EscalationProcedure(levels)) : null;
    }

    private static CalendarPeriod? Period(PeriodDto? dto, string field, ApiInput input)
    {
        if (dto is null) return null;
        var unit = Required(input.Enum<PeriodUnit>(dto.Unit, field + ".unit"), dto.Unit, field + ".unit", input);
        if (dto.Count is null) input.Error(field + ".count", "count is required.");
        return unit is { } u && dto.Count is { } count ? input.Build(field, () => new CalendarPeriod(count, u)) : null;
    }

    private static async Task<CommunicationPlan?> PlanAsync(CommunicationPlanDto? dto, ApiInput input, CancellationToken ct)
    {
        if (dto is null) return null;
        const string field = "terms.communicationPlan";
        var ours = await ContactsAsync(dto.OurContacts, field + ".ourContacts", input, ct);
        var theirs = await ContactsAsync(dto.ProviderContacts, field + ".providerContacts", input, ct);
        var update = Schedule(dto.UpdateCadence, field + ".updateCadence", required: true, input);
        var review = Schedule(dto.ReviewCadence, field + ".reviewCadence", required: false, input);
        UpdateDestination? destination = null;
        var kind = Required(input.Enum<UpdateDestinationKind>(dto.UpdatesGoTo?.Kind, field + ".updatesGoTo.kind"), dto.UpdatesGoTo?.Kind, field + ".updatesGoTo.kind", input);
        if (kind == UpdateDestinationKind.Channel)
            destination = input.Build(field + ".updatesGoTo", () => UpdateDestination.Channel(dto.UpdatesGoTo!.ChannelId ?? ""));
        else if (kind == UpdateDestinationKind.OneToOne && await input.PersonAsync(dto.UpdatesGoTo!.Person, field + ".updatesGoTo.person", required: true, ct) is { } person)
            destination = UpdateDestination.OneToOne(person);
        return ours is not null && theirs is not null && update is not null && destination is not null && (dto.ReviewCadence is null || review is not null)
            ? input.Build(field, () => new CommunicationPlan(ours, theirs, update, destination, review))
            : null;
    }

    private static async Task<List<ContactPoint>?> ContactsAsync(IReadOnlyList<ContactDto?>? list, string field, ApiInput input, CancellationToken ct)
    {
        var contacts = new List<ContactPoint>();
        var ok = true;
        for (var i = 0; i < (list?.Count ?? 0); i++)
        {
            var c = list![i];
            PersonId? person = null;
            if (!string.IsNullOrWhiteSpace(c?.Person))
            {
                person = await input.PersonAsync(c.Person, $"{field}[{i}].person", required: true, ct);
                if (person is null) { ok = false; continue; }
            }

            var built = input.Build($"{field}[{i}]", () => new ContactPoint(c?.Name ?? "", person, c?.Email, c?.Phone, c?.Role));
            if (built is null) ok = false;
            else contacts.Add(built);
        }

        return ok ? contacts : null;
    }

    private static async Task<DataProtectionTerms?> DataProtectionAsync(DataProtectionDto? dto, ApiInput input, CancellationToken ct)
    {
        if (dto is null) return null;
        const string field = "terms.dataProtection";
        var ours = await ContactsAsync(dto.OurContacts, field + ".ourContacts", input, ct);
        var theirs = await ContactsAsync(dto.ProviderContacts, field + ".providerContacts", input, ct);
        if (dto.NotificationDeadlineMinutes is null) input.Error(field + ".notificationDeadlineMinutes", "notificationDeadlineMinutes is required (e.g. 4320 for 72 hours).");
        return ours is not null && theirs is not null && dto.NotificationDeadlineMinutes is { } minutes
            ? input.Build(field, () => new DataProtectionTerms(ours, theirs, TimeSpan.FromMinutes(minutes)))
            : null;
    }

    private static RecurringSchedule? Schedule(ScheduleDto? dto, string field, bool required, ApiInput input)
    {
        if (dto is null)
        {
            if (required) input.Error(field, "The schedule is required.");
            return null;
        }

        return input.Build(field, () => new RecurringSchedule(dto.Cron ?? "", dto.TimeZone ?? ""));
    }

    private static KpiPlan? Kpis(KpiPlanDto? dto, ApiInput input)
    {
        if (dto is null) return null;
        var kpis = new List<Kpi>();
        var ok = true;
        for (var i = 0; i < (dto.Kpis?.Count ?? 0); i++)
        {
            var k = dto.Kpis![i];
            var kind = Required(input.Enum<KpiKind>(k?.Kind, $"terms.kpis.kpis[{i}].kind"), k?.Kind, $"terms.kpis.kpis[{i}].kind", input);
            var built = kind is { } kk ? input.Build($"terms.kpis.kpis[{i}]", () => new Kpi(kk, k?.Target)) : null;
            if (built is null) ok = false;
            else kpis.Add(built);
        }

        var frequency = Required(input.Enum<ReportingFrequency>(dto.Frequency, "terms.kpis.frequency"), dto.Frequency, "terms.kpis.frequency", input);
        return ok && frequency is { } f ? input.Build("terms.kpis", () => new KpiPlan(kpis, f)) : null;
    }

    /// <summary>The calendar as given; its own rules (<see cref="BusinessCalendarDefinition.Validate"/>) show up in the agreement's problems.</summary>
    private static BusinessCalendarDefinition? Calendar(BusinessCalendarDto? dto, ApiInput input)
    {
        if (dto is null) return null;
        var hours = new List<WorkingInterval>();
        for (var i = 0; i < (dto.WorkingHours?.Count ?? 0); i++)
        {
            var w = dto.WorkingHours![i];
            var field = $"terms.businessCalendar.workingHours[{i}]";
            var day = Required(input.Enum<DayOfWeek>(w?.Day, field + ".day"), w?.Day, field + ".day", input);
            var start = Time(w?.Start, field + ".start", input);
            var end = Time(w?.End, field + ".end", input);
            if (day is { } d && start is { } s && end is { } e) hours.Add(new WorkingInterval(d, s, e));
        }

        var holidays = new List<Holiday>();
        for (var i = 0; i < (dto.Holidays?.Count ?? 0); i++)
        {
            if (dto.Holidays![i]?.Date is { } date) holidays.Add(new Holiday(date, string.IsNullOrWhiteSpace(dto.Holidays[i]!.Name) ? null : dto.Holidays[i]!.Name!.Trim()));
            else input.Error($"terms.businessCalendar.holidays[{i}].date", "date is required (yyyy-MM-dd).");
        }

        return new BusinessCalendarDefinition
        {
            TimeZoneId = dto.TimeZoneId?.Trim() ?? "",
            TwentyFourSeven = dto.TwentyFourSeven ?? false,
            WorkingHours = hours,
            Holidays = holidays,
        };
    }

    private static TimeOnly? Time(string? text, string field, ApiInput input)
    {
        var value = text?.Trim();
        if (value is "24:00" or "24:00:00") return TimeOnly.MinValue;
        if (value is not null && TimeOnly.TryParseExact(value, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)) return time;
        input.Error(field, $"'{text}' is not a time of day (HH:mm).");
        return null;
    }

    private static List<T>? Names<T>(IReadOnlyList<string?>? names, string field, ApiInput input)
        where T : struct, Enum
    {
        var result = new List<T>();
        var ok = true;
        for (var i = 0; i < (names?.Count ?? 0); i++)
        {
            if (Required(input.Enum<T>(names![i], $"{field}[{i}]"), names[i], $"{field}[{i}]", input) is { } value) result.Add(value);
            else ok = false;
        }

        return ok ? result : null;
    }

    /// <summary>A required enum: a missing name is an error too (a wrong one was reported by <see cref="ApiInput.Enum{T}"/>).</summary>
    private static T? Required<T>(T? parsed, string? given, string field, ApiInput input)
        where T : struct
    {
        if (given is null) input.Error(field, "A value is required.");
        return parsed;
    }

    public static TermsDto ToDto(AgreementTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var plan = terms.CommunicationPlan;
        var calendar = terms.BusinessCalendar;
        return new TermsDto(
            terms.ProviderName,
            [.. terms.OversightOwners.Select(p => p.Value)],
            terms.Services is { } services ? new ServicesDto([.. services.Kinds.Select(k => k.ToString())], services.OtherDescription) : null,
            terms.Coverage?.ToString(),
            terms.StartDate,
            terms.EndDate,
            terms.Pricing is { } pricing ? new PricingDto(pricing.Structure.ToString(), pricing.Amount, pricing.Currency) : null,
            terms.ServiceLevels is { } levels
                ? [.. levels.Targets.Select(t => new ServiceLevelDto(t.Priority.ToString(), (int)t.Response.TotalMinutes, (int)t.Resolution.TotalMinutes, t.AroundTheClock))]
                : null,
            terms.Escalation is { } escalation
                ? [.. escalation.Levels.Select(l => new EscalationLevelDto(l.Level.ToString(), [.. l.Contacts.People.Select(p => p.Value)], l.Contacts.ChannelId, l.Description))]
                : null,
            terms.TerminationNotice is { } notice ? new PeriodDto(notice.Count, notice.Unit.ToString()) : null,
            plan is null ? null : new CommunicationPlanDto(
                [.. plan.OurContacts.Select(Contact)],
                [.. plan.ProviderContacts.Select(Contact)],
                Schedule(plan.UpdateCadence),
                new UpdateDestinationDto(plan.UpdatesGoTo.Kind.ToString(), plan.UpdatesGoTo.ChannelId, plan.UpdatesGoTo.Person?.Value),
                plan.ReviewCadence is { } review ? Schedule(review) : null),
            terms.Kpis is { } kpis ? new KpiPlanDto([.. kpis.Kpis.Select(k => new KpiDto(k.Kind.ToString(), k.Target))], kpis.Frequency.ToString()) : null,
            calendar is null ? null : ToDto(calendar),
            [.. terms.TerminationReasons],
            Duration: null,
            AdditionalServices: [.. terms.AdditionalServices.Select(a => new AdditionalServiceDto(a.Name, a.Price))],
            Responsibilities: terms.Responsibilities is { } r ? new ResponsibilitiesDto([.. r.Ours], [.. r.Provider]) : null,
            SupportConstraints: [.. terms.SupportConstraints],
            DataProtection: terms.DataProtection is { } dp
                ? new DataProtectionDto([.. dp.OurContacts.Select(Contact)], [.. dp.ProviderContacts.Select(Contact)], (int)dp.NotificationDeadline.TotalMinutes)
                : null);
    }

    /// <summary>A business calendar as the API shows it (the agreements' terms, an escalation's policy snapshot).</summary>
    public static BusinessCalendarDto ToDto(BusinessCalendarDefinition calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return new BusinessCalendarDto(
            calendar.TimeZoneId,
            calendar.TwentyFourSeven,
            [.. (calendar.WorkingHours ?? []).Select(w => new WorkingIntervalDto(w.Day.ToString(), w.Start.ToString("HH:mm", CultureInfo.InvariantCulture), w.End.ToString("HH:mm", CultureInfo.InvariantCulture)))],
            [.. (calendar.Holidays ?? []).Select(h => new HolidayDto(h.Date, h.Name))]);
    }

    private static ContactDto? Contact(ContactPoint c) => new(c.Name, c.Person?.Value, c.Email, c.Phone, c.Role);

    private static ScheduleDto Schedule(RecurringSchedule s) => new(s.Cron, s.TimeZoneId);
}
