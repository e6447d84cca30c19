using System.Collections;
using System.Reflection;
using ApprovalBot.Api;
using ApprovalBot.Domain;
using ApprovalBot.OrgDirectory;
using ApprovalBot.Protocol;
using ApprovalBot.Protocol.Auth;
using ApprovalBot.Protocol.Connector;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Scheduling;
using ApprovalBot.Storage;
using ApprovalBot.Teams.Outbox;

namespace ApprovalBot.UnitTests.Configuration;

/// <summary>A class the host binds from configuration, and the section it binds ("" = the configuration root).</summary>
internal sealed record BoundOptions(Type Type, string Section)
{
    public override string ToString() => $"{Type.Name} ({(Section.Length == 0 ? "root" : Section)})";
}

/// <summary>One configuration key: the path of properties from a bound class down to the one the key sets.</summary>
internal sealed record OptionKey(string Path, BoundOptions Owner, IReadOnlyList<PropertyInfo> Chain)
{
    public PropertyInfo Property => Chain[^1];

    /// <summary>The property's value in an instance of <see cref="BoundOptions.Type"/>.</summary>
    public object? ValueIn(object options)
    {
        object? current = options;
        foreach (var property in Chain)
            current = current is null ? null : property.GetValue(current);
        return current;
    }

    public override string ToString() => $"{Path} ({Owner.Type.Name}.{string.Join('.', Chain.Select(p => p.Name))})";
}

/// <summary>
/// What the host reads from configuration. The list of bound classes is kept by hand and checked against every type
/// named <c>*Options</c> in the three ApprovalBot assemblies, so a new options class cannot go undocumented unnoticed.
/// </summary>
internal static class ConfigurationCatalog
{
    public static IReadOnlyList<Assembly> Assemblies { get; } =
        [typeof(StorageOptions).Assembly, typeof(ProtocolAssembly).Assembly, typeof(DomainAssembly).Assembly];

    /// <summary>Every options class the host binds, with the section its module binds (see the modules named).</summary>
    public static IReadOnlyList<BoundOptions> Bound { get; } =
    [
        new(typeof(MicrosoftAppOptions), ""),                                           // AddBotInboundAuthentication
        new(typeof(BotCredentialOptions), ""),                                          // AddBotConnector
        new(typeof(BotAuthenticationOptions), BotAuthenticationOptions.SectionName),    // AddBotInboundAuthentication
        new(typeof(ConnectorOptions), ConnectorOptions.SectionName),                    // AddBotConnector
        new(typeof(BotEndpointOptions), BotEndpointOptions.SectionName),                // BotProtocolModule
        new(typeof(StorageOptions), StorageOptions.SectionName),                        // StorageModule, StorageConnection
        new(typeof(SchedulingOptions), SchedulingOptions.SectionName),                  // SchedulingModule
        new(typeof(HousekeepingOptions), HousekeepingOptions.SectionName),              // HousekeepingModule
        new(typeof(OutboxOptions), OutboxOptions.SectionName),                          // TeamsModule
        new(typeof(DirectoryOptions), DirectoryOptions.SectionName),                    // DirectoryModule
        new(typeof(ApiOptions), ApiOptions.SectionName),                                // ApiModule
        new(typeof(ApprovalBot.Approvals.ApprovalsOptions), ApprovalBot.Approvals.ApprovalsOptions.SectionName), // ApprovalsModule
        new(typeof(ApprovalBot.Agreements.Term.TermOptions), ApprovalBot.Agreements.Term.TermOptions.SectionName), // AgreementsModule
        new(typeof(ApprovalBot.Agreements.Documents.DocumentsOptions), ApprovalBot.Agreements.Documents.DocumentsOptions.SectionName), // DocumentsModule (from AgreementsModule)
        new(typeof(ApprovalBot.Agreements.Announcement.AnnouncementOptions), ApprovalBot.Agreements.Announcement.AnnouncementOptions.SectionName), // AgreementsModule
        new(typeof(ApprovalBot.Agreements.Signing.SigningOptions), ApprovalBot.Agreements.Signing.SigningOptions.SectionName), // SigningModule (from AgreementsModule)
        new(typeof(ApprovalBot.Agreements.Negotiation.NegotiationOptions), ApprovalBot.Agreements.Negotiation.NegotiationOptions.SectionName), // NegotiationModule (from AgreementsModule)
        new(typeof(ApprovalBot.Escalations.EscalationsOptions), ApprovalBot.Escalations.EscalationsOptions.SectionName), // EscalationsModule
        new(typeof(ApprovalBot.Dashboard.DashboardOptions), ApprovalBot.Dashboard.DashboardOptions.SectionName), // DashboardModule
        new(typeof(ApprovalBot.Metrics.MetricsOptions), ApprovalBot.Metrics.MetricsOptions.SectionName), // MetricsModule
        new(typeof(ApprovalBot.Operations.OperationsOptions), ApprovalBot.Operations.OperationsOptions.SectionName), // OperationsModule
        new(typeof(ApprovalBot.CommunicationPlans.CommunicationPlansOptions), ApprovalBot.CommunicationPlans.CommunicationPlansOptions.SectionName), // CommunicationPlansModule
        new(typeof(ApprovalBot.Privacy.PrivacyOptions), ApprovalBot.Privacy.PrivacyOptions.SectionName), // PrivacyModule
    ];

    /// <summary>Types named <c>*Options</c> that are not bound from configuration, each with the reason.</summary>
    public static IReadOnlyDictionary<Type, string> ExcludedTypes { get; } = new Dictionary<Type, string>
    {
        [typeof(BotAuthenticationOptionsValidator.ForOptions)] =
            "the IValidateOptions adapter of BotAuthenticationOptions (named ForOptions), not an options class",
        [typeof(ApiKeyOptions)] =
            "one element of the list Api:Keys (Name, Key or KeyHash, Roles), which holds secrets and has no default: documented " +
            "in docs/configuration.md and src/ApprovalBot/Api/README.md, deliberately absent from the sample",
        [typeof(ApiKeyAuthenticationOptions)] =
            "the AuthenticationSchemeOptions of the ApiKey scheme, set in code by ApiModule; not bound from configuration",
    };

    /// <summary>Public settable properties of bound classes that configuration cannot set, each with the reason.</summary>
    public static IReadOnlyDictionary<(Type Type, string Property), string> ExcludedProperties { get; } =
        new Dictionary<(Type, string), string>
        {
            [(typeof(BotEndpointOptions), nameof(BotEndpointOptions.IsTransient))] =
                "a delegate: the host sets it in code (PostConfigure in BotProtocolModule); configuration cannot express it",
        };

    /// <summary>Keys the host reads outside options classes, with who reads them.</summary>
    public static IReadOnlyDictionary<string, string> HostKeys { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Urls"] = "ASP.NET Core: the addresses Kestrel listens on",
        ["AllowedHosts"] = "ASP.NET Core host filtering",
        [$"ConnectionStrings:{StorageOptions.PostgresConnectionStringName}"] = "StorageConnection.FromConfiguration (GetConnectionString)",
        ["Logging:LogLevel:Default"] = "Microsoft.Extensions.Logging",
    };

    /// <summary>Logging categories are open-ended: any key under this prefix is a host key.</summary>
    public const string LoggingPrefix = "Logging:LogLevel:";

    public static bool IsHostKey(string path) =>
        HostKeys.ContainsKey(path) || path.StartsWith(LoggingPrefix, StringComparison.Ordinal);

    /// <summary>Every key of every bound class (a key bound by two root classes appears once per class).</summary>
    public static IReadOnlyList<OptionKey> Keys => Catalog.Value.Keys;

    /// <summary>Classes reached through a property of a bound class (<c>Connector:Throttle</c>, <c>Storage:Sqlite</c>).</summary>
    public static IReadOnlySet<Type> NestedTypes => Catalog.Value.Nested;

    /// <summary>Properties the catalog could not classify: settable, not bindable, not excluded. Must stay empty.</summary>
    public static IReadOnlyList<string> Problems => Catalog.Value.Problems;

    public static IEnumerable<string> AllKeyPaths => Keys.Select(k => k.Path).Distinct(StringComparer.Ordinal);

    private static readonly Lazy<(List<OptionKey> Keys, HashSet<Type> Nested, List<string> Problems)> Catalog = new(Build);

    private static (List<OptionKey>, HashSet<Type>, List<string>) Build()
    {
        var keys = new List<OptionKey>();
        var nested = new HashSet<Type>();
        var problems = new List<string>();
        foreach (var bound in Bound)
            Walk(bound, bound.Type, bound.Section, [], keys, nested, problems);
        return (keys, nested, problems);
    }

    private static void Walk(BoundOptions owner, Type type, string prefix, List<PropertyInfo> chain,
        List<OptionKey> keys, HashSet<Type> nested, List<string> problems)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is not { IsPublic: true })
                continue;
            if (ExcludedProperties.ContainsKey((type, property.Name)))
                continue;

            var settable = property.SetMethod is { IsPublic: true };
            var path = prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}";
            var here = new List<PropertyInfo>(chain) { property };
            switch (Classify(property.PropertyType))
            {
                case Kind.Scalar when settable:
                case Kind.Collection: // the binder also fills a get-only collection
                    keys.Add(new OptionKey(path, owner, here));
                    if (ElementType(property.PropertyType) is { } element && IsEntry(element)) nested.Add(element);
                    break;
                case Kind.Nested: // ... and a get-only nested object
                    nested.Add(property.PropertyType);
                    Walk(owner, property.PropertyType, path, here, keys, nested, problems);
                    break;
                case Kind.Unbindable when settable:
                    problems.Add($"{type.Name}.{property.Name} ({property.PropertyType.Name}) is settable but configuration cannot bind it: " +
                                 "exclude it in ConfigurationCatalog.ExcludedProperties with the reason, or make it bindable.");
                    break;
            }
        }
    }

    private enum Kind { Scalar, Collection, Nested, Unbindable }

    private static Kind Classify(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(type)) return Kind.Scalar;
        // A map of scalars (Approvals:OutOfOffice:Delegates) is one key, like a list: its entries are data, not keys.
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            return type.GetGenericArguments().All(a => IsScalar(Nullable.GetUnderlyingType(a) ?? a)) ? Kind.Collection : Kind.Unbindable;
        if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var element = ElementType(type);
            // A list of entries (Agreements:Announcement:Channels: { Department, ChannelId } each) is one key too: its
            // items are data. Entries are records, so a sample and a default compare by value.
            return element is not null && (IsScalar(Nullable.GetUnderlyingType(element) ?? element) || IsEntry(element)) ? Kind.Collection : Kind.Unbindable;
        }
        if (type.IsClass && Assemblies.Contains(type.Assembly) && type.GetConstructor(Type.EmptyTypes) is not null)
            return Kind.Nested;
        return Kind.Unbindable;
    }

    private static Type? ElementType(Type type) =>
        type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type) ? null
        : type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    /// <summary>An entry of a list setting: a record of ours with a parameterless constructor (value equality).</summary>
    private static bool IsEntry(Type type) =>
        type.IsClass && Assemblies.Contains(type.Assembly) && type.GetConstructor(Type.EmptyTypes) is not null
        && type.GetMethod("<Clone>$") is not null;

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Guid) || type == typeof(Uri);

    /// <summary>Configuration has no null: an unset string and an empty one mean the same; collections compare by items.</summary>
    public static bool SameValue(object? a, object? b) => (a, b) switch
    {
        (null or string, null or string) => string.Equals((string?)a ?? string.Empty, (string?)b ?? string.Empty, StringComparison.Ordinal),
        (IEnumerable x, IEnumerable y) => x.Cast<object?>().SequenceEqual(y.Cast<object?>()),
        _ => Equals(a, b),
    };

    public static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Show)) + "]",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "?",
    };
}
