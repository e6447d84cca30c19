using System.Text.Json;
using System.Text.Json.Serialization;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ApprovalBot.Storage;

/// <summary>
/// How domain values that are stored as one JSON text column (agreement terms, a request's flow snapshot, links,
/// outcomes, reminder times) are written. Text JSON, not jsonb: the same column type on both providers, and nothing
/// queries inside these values. Enums are written by name and properties in camelCase, so the stored text survives
/// reordered enums and reads naturally. Domain records whose constructors are private or take a different shape
/// than their properties go through small JSON shapes here (the <c>*Json</c> records) built back with the domain's own
/// factories, so the domain's validation runs on the way in and the domain stays free of serializer attributes.
/// </summary>
internal static class StorageJson
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;

    /// <summary>
    /// Stores the property as one JSON text column. The comparer compares the JSON, and snapshots by a JSON copy, so
    /// lists that the domain changes in place are seen as changed.
    /// </summary>
    public static PropertyBuilder<T> HasJsonConversion<T>(this PropertyBuilder<T> property)
    {
        ArgumentNullException.ThrowIfNull(property);
        return property.HasConversion(
            new ValueConverter<T, string>(v => Serialize(v), s => Deserialize<T>(s)),
            new ValueComparer<T>(
                (a, b) => Serialize(a) == Serialize(b),
                v => Serialize(v).GetHashCode(StringComparison.Ordinal),
                v => Deserialize<T>(Serialize(v))));
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        options.Converters.Add(new PersonIdJsonConverter());

        // Approvals: the flow snapshot's parts with private constructors.
        options.Converters.Add(Mapped<ApproverRule, RuleJson>(
            r => new RuleJson(r.Kind.ToString(), r.GroupName, r.PersonIds.Count > 0 ? r.PersonIds : null),
            j => Enum.Parse<ApproverRuleKind>(j.Kind) switch
            {
                ApproverRuleKind.RequesterManager => ApproverRule.RequesterManager(),
                ApproverRuleKind.Group => ApproverRule.Group(j.GroupName!),
                _ => ApproverRule.People(j.PersonIds ?? []),
            }));
        options.Converters.Add(Mapped<DecisionRule, DecisionRuleJson>(
            r => new DecisionRuleJson(r.Kind.ToString(), r.Required),
            j => Enum.Parse<DecisionRuleKind>(j.Kind) switch
            {
                DecisionRuleKind.Any => DecisionRule.Any,
                DecisionRuleKind.All => DecisionRule.All,
                _ => DecisionRule.NOfM(j.Required),
            }));
        options.Converters.Add(Mapped<EscalationTarget, RuleJson>(
            t => new RuleJson(t.Kind.ToString(), t.GroupName, t.PersonIds.Count > 0 ? t.PersonIds : null),
            j => Enum.Parse<EscalationTargetKind>(j.Kind) switch
            {
                EscalationTargetKind.ApproversManager => EscalationTarget.ApproversManager,
                EscalationTargetKind.Group => EscalationTarget.Group(j.GroupName!),
                _ => EscalationTarget.People(j.PersonIds ?? []),
            }));

        // Agreement terms: records whose constructors take sequences where the properties are lists, or are private.
        options.Converters.Add(Mapped<ServicesInScope, ServicesJson>(
            s => new ServicesJson(s.Kinds, s.OtherDescription),
            j => new ServicesInScope(j.Kinds, j.OtherDescription)));
        options.Converters.Add(Mapped<ServiceLevelTargets, ServiceLevelsJson>(
            s => new ServiceLevelsJson(s.Targets),
            j => new ServiceLevelTargets(j.Targets)));
        options.Converters.Add(Mapped<EscalationContacts, EscalationContactsJson>(
            c => new EscalationContactsJson(c.People, c.ChannelId),
            j => new EscalationContacts(j.People, j.ChannelId)));
        options.Converters.Add(Mapped<EscalationProcedure, EscalationProcedureJson>(
            p => new EscalationProcedureJson(p.Levels),
            j => new EscalationProcedure(j.Levels)));
        options.Converters.Add(Mapped<UpdateDestination, UpdateDestinationJson>(
            d => new UpdateDestinationJson(d.Kind.ToString(), d.ChannelId, d.Person),
            j => Enum.Parse<UpdateDestinationKind>(j.Kind) == UpdateDestinationKind.Channel
                ? UpdateDestination.Channel(j.ChannelId!)
                : UpdateDestination.OneToOne(j.Person ?? throw new JsonException("A one-to-one update destination needs a person."))));
        options.Converters.Add(Mapped<CommunicationPlan, CommunicationPlanJson>(
            p => new CommunicationPlanJson(p.OurContacts, p.ProviderContacts, p.UpdateCadence, p.UpdatesGoTo, p.ReviewCadence),
            j => new CommunicationPlan(j.OurContacts, j.ProviderContacts, j.UpdateCadence, j.UpdatesGoTo, j.ReviewCadence)));
        options.Converters.Add(Mapped<Responsibilities, ResponsibilitiesJson>(
            r => new ResponsibilitiesJson(r.Ours, r.Provider),
            j => new Responsibilities(j.Ours, j.Provider)));
        options.Converters.Add(Mapped<KpiPlan, KpiPlanJson>(
            p => new KpiPlanJson(p.Kpis, p.Frequency),
            j => new KpiPlan(j.Kpis, j.Frequency)));
        // Absent in terms stored before issue 10's data-protection section: those read as null (not given yet).
        options.Converters.Add(Mapped<DataProtectionTerms, DataProtectionJson>(
            d => new DataProtectionJson(d.OurContacts, d.ProviderContacts, d.NotificationDeadline),
            j => new DataProtectionTerms(j.OurContacts, j.ProviderContacts, j.NotificationDeadline)));


        // Escalations: the policy snapshot (its constructor takes sequences where the properties are lists).
        options.Converters.Add(Mapped<EscalationPolicy, EscalationPolicyJson>(
            p => new EscalationPolicyJson(p.AgreementId, p.AgreementName, p.AgreementRevision, p.Priority, p.ResponseTarget, p.ResolutionTarget,
                p.Calendar, p.Levels, p.OversightOwners, p.ReopenWindow),
            j => new EscalationPolicy(j.AgreementId, j.AgreementName, j.AgreementRevision, j.Priority, j.ResponseTarget, j.ResolutionTarget,
                j.Calendar, j.Levels, j.OversightOwners, j.ReopenWindow)));

        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static MappedConverter<T, TJson> Mapped<T, TJson>(Func<T, TJson> toJson, Func<TJson, T> fromJson)
        where T : class => new(toJson, fromJson);

    /// <summary>Writes <typeparamref name="T"/> as <typeparamref name="TJson"/> and builds it back through the domain.</summary>
    private sealed class MappedConverter<T, TJson>(Func<T, TJson> toJson, Func<TJson, T> fromJson) : JsonConverter<T>
        where T : class
    {
        public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            JsonSerializer.Deserialize<TJson>(ref reader, options) is { } json ? fromJson(json) : null;

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, toJson(value), options);
    }

    private sealed class PersonIdJsonConverter : JsonConverter<PersonId>
    {
        public override PersonId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(reader.GetString() ?? throw new JsonException("A person id cannot be null."));

        public override void Write(Utf8JsonWriter writer, PersonId value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.Value);
    }

    private sealed record EscalationPolicyJson(
        long AgreementId, string AgreementName, int AgreementRevision, Priority Priority, TimeSpan ResponseTarget, TimeSpan ResolutionTarget,
        BusinessCalendarDefinition Calendar, IReadOnlyList<EscalationLevel> Levels, IReadOnlyList<PersonId> OversightOwners, TimeSpan ReopenWindow);

    private sealed record RuleJson(string Kind, string? GroupName, IReadOnlyList<PersonId>? PersonIds);

    private sealed record DecisionRuleJson(string Kind, int Required);

    private sealed record ResponsibilitiesJson(IReadOnlyList<string>? Ours, IReadOnlyList<string>? Provider);

    private sealed record ServicesJson(IReadOnlyList<ServiceKind> Kinds, string? OtherDescription);

    private sealed record ServiceLevelsJson(IReadOnlyList<PriorityTarget> Targets);

    private sealed record EscalationContactsJson(IReadOnlyList<PersonId>? People, string? ChannelId);

    private sealed record EscalationProcedureJson(IReadOnlyList<EscalationLevel> Levels);

    private sealed record UpdateDestinationJson(string Kind, string? ChannelId, PersonId? Person);

    private sealed record CommunicationPlanJson(
        IReadOnlyList<ContactPoint> OurContacts,
        IReadOnlyList<ContactPoint> ProviderContacts,
        RecurringSchedule UpdateCadence,
        UpdateDestination UpdatesGoTo,
        RecurringSchedule? ReviewCadence);

    private sealed record DataProtectionJson(IReadOnlyList<ContactPoint> OurContacts, IReadOnlyList<ContactPoint> ProviderContacts, TimeSpan NotificationDeadline);

    private sealed record KpiPlanJson(IReadOnlyList<Kpi> Kpis, ReportingFrequency Frequency);
}

/// <summary>A person id is stored as its text.</summary>
internal sealed class PersonIdConverter() : ValueConverter<PersonId, string>(p => p.Value, s => new PersonId(s));
