using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ApprovalBot.Agreements;
using ApprovalBot.Api;
using ApprovalBot.Approvals;
using ApprovalBot.Dashboard;
using ApprovalBot.Operations;
using ApprovalBot.CommunicationPlans;
using ApprovalBot.Escalations;
using ApprovalBot.Health;
using ApprovalBot.Metrics;
using ApprovalBot.OrgDirectory;
using ApprovalBot.Privacy;
using ApprovalBot.Protocol.Auth;
using ApprovalBot.Protocol.Connector;
using ApprovalBot.Scheduling;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ApprovalBot.UnitTests.Configuration;

/// <summary>
/// Keeps <c>appsettings.sample.json</c> and <c>docs/configuration.md</c> complete and true: every options property has
/// a key in both, nothing that no code reads is documented, the documented defaults are the code's, the sample holds no
/// secret, and the sample binds and validates through the host's own modules — as it stands (local development mode)
/// and with each production identity the docs describe.
/// </summary>
public sealed class ConfigurationReferenceTests
{
    /// <summary>Sample values that differ from the code default on purpose: the sample names what "unset" means.</summary>
    private static readonly Dictionary<string, string> SampleDeviations = new(StringComparer.Ordinal)
    {
        ["Storage:Provider"] = "unset and \"Sqlite\" both mean SQLite; the sample names the provider so the Postgres switch is visible",
        ["Agreements:Term:ReminderLeadDays"] = "unset means 30, 14 and 7 (null in code: the binder appends to an array it finds); the sample spells them out",
        ["Agreements:Documents:AllowedTypes"] = "unset means pdf and docx (null in code: the binder appends to an array it finds); the sample spells them out",
        ["Agreements:Documents:AllowedHosts"] = "unset means *.sharepoint.com (null in code: the binder appends to an array it finds); the sample spells it out",
        ["Agreements:Announcement:Channels"] = "unset means no announcement; the sample shows the four departments' channels (IT, Finance, HR, Operations) to replace with real channel ids",
        ["Agreements:Signing:Signatories"] = "unset means no signing on any flow; the sample shows the agreement flow signed by Management and the provider",
        ["Agreements:Signing:Meeting:ReminderLeadTimes"] = "unset means 24 h and 1 h (null in code: the binder appends to an array it finds); the sample spells them out",
    };

    [Fact]
    public void OptionsClasses_AreAllListedOrExcluded_WhenDiscoveredByName()
    {
        var listed = ConfigurationCatalog.Bound.Select(b => b.Type)
            .Concat(ConfigurationCatalog.NestedTypes)
            .Concat(ConfigurationCatalog.ExcludedTypes.Keys)
            .ToHashSet();
        var discovered = ConfigurationCatalog.Assemblies
            .SelectMany(a => a.GetTypes())
            .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) && !t.IsEnum && !t.IsInterface
                        && !t.IsDefined(typeof(CompilerGeneratedAttribute)))
            .ToHashSet();

        var unlisted = discovered.Except(listed).Select(t => t.FullName).Order(StringComparer.Ordinal).ToList();
        Assert.True(unlisted.Count == 0,
            "Options classes neither in ConfigurationCatalog.Bound (with the section their module binds) nor in ExcludedTypes " +
            "(with the reason): " + string.Join(", ", unlisted));

        var stale = ConfigurationCatalog.ExcludedTypes.Keys.Where(t => !discovered.Contains(t)).Select(t => t.FullName).ToList();
        Assert.True(stale.Count == 0, "Excluded types that are no longer *Options classes: " + string.Join(", ", stale));
    }

    [Fact]
    public void BoundOptions_UseTheirSectionNameConstant_WhenTheyHaveOne()
    {
        foreach (var bound in ConfigurationCatalog.Bound)
        {
            var constant = bound.Type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string;
            Assert.True((constant ?? string.Empty) == bound.Section,
                $"{bound.Type.Name}: listed with section '{bound.Section}' but its SectionName is '{constant ?? "(none: root)"}'.");
        }
    }

    [Fact]
    public void OptionsProperties_AreAllBindable_UnlessExcludedWithAReason()
    {
        Assert.True(ConfigurationCatalog.Problems.Count == 0, string.Join(Environment.NewLine, ConfigurationCatalog.Problems));

        foreach (var ((type, property), reason) in ConfigurationCatalog.ExcludedProperties)
        {
            Assert.True(type.GetProperty(property) is not null, $"Excluded property {type.Name}.{property} no longer exists.");
            Assert.False(string.IsNullOrWhiteSpace(reason));
        }
    }

    [Fact]
    public void Sample_HasAKey_ForEveryOptionsPropertyAndHostKey()
    {
        var sample = SampleLeaves();

        var missing = ConfigurationCatalog.Keys.Where(k => !sample.ContainsKey(k.Path)).Select(k => k.ToString())
            .Concat(ConfigurationCatalog.HostKeys.Keys.Where(k => !sample.ContainsKey(k)))
            .ToList();

        Assert.True(missing.Count == 0, "appsettings.sample.json has no key for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Sample_HasNoKey_ThatNothingReads()
    {
        var known = ConfigurationCatalog.AllKeyPaths.ToHashSet(StringComparer.Ordinal);

        var unknown = SampleLeaves().Keys.Where(k => !known.Contains(k) && !ConfigurationCatalog.IsHostKey(k)).ToList();

        Assert.True(unknown.Count == 0,
            "appsettings.sample.json has keys no options class or host setting reads (misspelt, or removed from the code): " + string.Join(", ", unknown));
    }

    [Fact]
    public void Docs_HaveARow_ForEveryOptionsPropertyAndHostKey()
    {
        var documented = DocumentedKeys().Select(r => r.Key).ToHashSet(StringComparer.Ordinal);

        var missing = ConfigurationCatalog.Keys.Where(k => !documented.Contains(k.Path)).Select(k => k.ToString())
            .Concat(ConfigurationCatalog.HostKeys.Keys.Where(k => !documented.Contains(k)))
            .ToList();

        Assert.True(missing.Count == 0, "docs/configuration.md has no row for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Docs_HaveExactlyOneRowPerSampleKey_AndNoOther()
    {
        var rows = DocumentedKeys();
        var sample = SampleLeaves().Keys.ToHashSet(StringComparer.Ordinal);

        var duplicates = rows.GroupBy(r => r.Key, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var notInSample = rows.Where(r => !sample.Contains(r.Key)).Select(r => $"{r.Key} (line {r.Line})").ToList();
        var undocumented = sample.Where(k => rows.All(r => r.Key != k)).ToList();

        Assert.True(duplicates.Count == 0, "Documented twice: " + string.Join(", ", duplicates));
        Assert.True(notInSample.Count == 0, "Documented but not in appsettings.sample.json (stale or misspelt): " + string.Join(", ", notInSample));
        Assert.True(undocumented.Count == 0, "In appsettings.sample.json but not documented: " + string.Join(", ", undocumented));
    }

    [Fact]
    public void Docs_DefaultColumn_MatchesTheSample()
    {
        var sample = SampleLeaves();

        var wrong = DocumentedKeys()
            .Where(r => sample.ContainsKey(r.Key) && r.Default != ConfigurationFiles.AsDocumented(sample[r.Key]))
            .Select(r => $"{r.Key} (line {r.Line}): documented '{r.Default}', sample '{ConfigurationFiles.AsDocumented(sample[r.Key])}'")
            .ToList();

        Assert.True(wrong.Count == 0, "Default column differs from appsettings.sample.json:" + Environment.NewLine + string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public void Sample_EqualsTheCodeDefaults_ExceptWhereItNamesWhatUnsetMeans()
    {
        var configuration = ConfigurationFiles.SampleConfiguration();
        var differences = new List<string>();

        foreach (var bound in ConfigurationCatalog.Bound)
        {
            var fromSample = Bind(configuration, bound);
            var defaults = Activator.CreateInstance(bound.Type)!;
            foreach (var key in ConfigurationCatalog.Keys.Where(k => k.Owner == bound))
            {
                var (sampleValue, codeValue) = (key.ValueIn(fromSample), key.ValueIn(defaults));
                var same = ConfigurationCatalog.SameValue(sampleValue, codeValue);
                if (!same && !SampleDeviations.ContainsKey(key.Path))
                    differences.Add($"{key}: sample {ConfigurationCatalog.Show(sampleValue)}, code default {ConfigurationCatalog.Show(codeValue)}");
                if (same && SampleDeviations.ContainsKey(key.Path))
                    differences.Add($"{key} is listed as a deviation but equals the code default: remove it from SampleDeviations");
            }
        }

        Assert.True(differences.Count == 0,
            "appsettings.sample.json must show the built-in defaults (or the code default changed without the sample and docs):" +
            Environment.NewLine + string.Join(Environment.NewLine, differences));
    }

    [Fact]
    public void Sample_BindsIntoEveryOptionsClass_WithoutErrorOrUnknownKeys()
    {
        var configuration = ConfigurationFiles.SampleConfiguration();
        var failures = new List<string>();

        foreach (var bound in ConfigurationCatalog.Bound)
        {
            try
            {
                // A section must hold only keys of its class. The root also holds every section, so root classes are
                // bound leniently; Sample_HasNoKey_ThatNothingReads checks the root's own keys.
                var instance = Activator.CreateInstance(bound.Type)!;
                if (bound.Section.Length == 0)
                    configuration.Bind(instance);
                else
                    configuration.GetSection(bound.Section).Bind(instance, o => o.ErrorOnUnknownConfiguration = true);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
            {
                failures.Add($"{bound}: {e.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Sample_ValidatesInLocalDevelopmentMode_WhenRegisteredByTheHostModules()
    {
        using var services = HostServices();

        var resolved = ResolveAllOptions(services);
        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.True(string.IsNullOrEmpty(((MicrosoftAppOptions)resolved[typeof(MicrosoftAppOptions)]).MicrosoftAppId));
        Assert.True(((BotCredentialOptions)resolved[typeof(BotCredentialOptions)]).IsLocalDevelopment);
        Assert.Equal(StorageProvider.Sqlite, services.GetRequiredService<StorageConnection>().Provider);
    }

    [Fact]
    public void HostModules_BindEachOptionsClass_FromTheSectionTheCatalogNames()
    {
        using var services = HostServices();
        var configuration = ConfigurationFiles.SampleConfiguration();
        var resolved = ResolveAllOptions(services);
        var differences = new List<string>();

        foreach (var bound in ConfigurationCatalog.Bound)
        {
            var direct = Bind(configuration, bound);
            differences.AddRange(ConfigurationCatalog.Keys
                .Where(k => k.Owner == bound && !ConfigurationCatalog.SameValue(k.ValueIn(resolved[bound.Type]), k.ValueIn(direct)))
                .Select(k => $"{k}: host {ConfigurationCatalog.Show(k.ValueIn(resolved[bound.Type]))}, catalog {ConfigurationCatalog.Show(k.ValueIn(direct))}"));
        }

        Assert.True(differences.Count == 0, "The host binds differently from ConfigurationCatalog.Bound:" + Environment.NewLine + string.Join(Environment.NewLine, differences));
    }

    [Theory]
    [InlineData("SingleTenant", true, BotAppType.SingleTenant)]
    [InlineData("UserAssignedMSI", false, BotAppType.UserAssignedMsi)]
    [InlineData("MultiTenant", true, BotAppType.MultiTenant)]
    public void Sample_Validates_WithEachDocumentedProductionIdentityAndPostgres(string appType, bool hasPassword, BotAppType expected)
    {
        // What docs/configuration.md says production sets, layered over the sample as environment variables would be.
        const string tenant = "00000000-0000-0000-0000-0000000000b2";
        var production = new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = "00000000-0000-0000-0000-0000000000a1",
            ["MicrosoftAppPassword"] = hasPassword ? "test-only-not-a-secret" : null,
            ["MicrosoftAppType"] = appType,
            ["MicrosoftAppTenantId"] = tenant,
            ["BotAuthentication:AllowedTenantIds:0"] = tenant,
            ["Storage:Provider"] = "Postgres",
        };
        using var services = HostServices(production);

        var resolved = ResolveAllOptions(services);
        services.GetRequiredService<IStartupValidator>().Validate();

        var credentials = (BotCredentialOptions)resolved[typeof(BotCredentialOptions)];
        Assert.False(credentials.IsLocalDevelopment);
        Assert.Equal(expected, credentials.GetAppType());
        Assert.Equal([tenant], ((BotAuthenticationOptions)resolved[typeof(BotAuthenticationOptions)]).AllowedTenantIds);
        Assert.Equal(StorageProvider.Postgres, services.GetRequiredService<StorageConnection>().Provider);
    }

    [Fact]
    public void Sample_PostgresConnectionString_IsAcceptedAndHoldsOnlyAPlaceholderPassword()
    {
        var configured = ConfigurationFiles.SampleConfiguration().GetConnectionString(StorageOptions.PostgresConnectionStringName);

        var effective = new Npgsql.NpgsqlConnectionStringBuilder(StorageProviders.PostgresConnectionString(configured));

        Assert.Matches("^<[^<>]+>$", effective.Password ?? string.Empty);
        Assert.Equal("ApprovalBot", effective.ApplicationName);
    }

    [Fact]
    public void Sample_LeavesMicrosoftAppPasswordEmpty()
    {
        var sample = SampleLeaves();

        Assert.True(sample.TryGetValue("MicrosoftAppPassword", out var password), "The sample must show MicrosoftAppPassword (empty).");
        Assert.Equal(string.Empty, password?.GetValue<string>());
    }

    [Fact]
    public void SampleAndDocs_ContainNoSecretLookingValue_CommentsIncluded()
    {
        var findings = new[] { ConfigurationFiles.SamplePath, ConfigurationFiles.DocsPath }
            .SelectMany(path => SecretScan.Find(File.ReadAllText(path)).Select(f => $"{Path.GetFileName(path)}: {f}"))
            .ToList();

        Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings));
    }

    [Theory]
    [InlineData("\"MicrosoftAppPassword\": \"abc\"")]
    [InlineData("Host=db;Username=bot;Password=hunter2;Database=x")]
    [InlineData("Server=db;Pwd=hunter2")]
    [InlineData("// export MicrosoftAppPassword=hunter2")]
    [InlineData("dotnet user-secrets set MicrosoftAppPassword hunter2")]
    [InlineData("\"ClientSecret\": \"x\"")]
    [InlineData("abc8Q~abcdefghijklmnopqrstuvwxyz0123456")]
    public void SecretScan_Flags_WhenAValueIsNotAPlaceholder(string text) => Assert.NotEmpty(SecretScan.Find(text));

    [Theory]
    [InlineData("\"MicrosoftAppPassword\": \"\"")]
    [InlineData("Host=db;Username=bot;Password=<from-secret-store>;Database=x")]
    [InlineData("Password=;Host=db")]
    [InlineData("dotnet user-secrets set MicrosoftAppPassword … --project src/ApprovalBot")]
    [InlineData("the client secret, from the environment variable MicrosoftAppPassword or a secret store")]
    public void SecretScan_Passes_WhenValuesArePlaceholders(string text) => Assert.Empty(SecretScan.Find(text));

    [Fact]
    public void Sample_AgreesWithTheShippedAppSettings()
    {
        var sample = SampleLeaves();

        var differences = ConfigurationFiles.Leaves(ConfigurationFiles.ReadJsonWithComments(ConfigurationFiles.ShippedSettingsPath))
            .Where(shipped => !sample.TryGetValue(shipped.Key, out var value) || value?.ToJsonString() != shipped.Value?.ToJsonString())
            .Select(shipped => $"{shipped.Key}: shipped {shipped.Value?.ToJsonString()}, sample {(sample.TryGetValue(shipped.Key, out var v) ? v?.ToJsonString() : "(missing)")}")
            .ToList();

        Assert.True(differences.Count == 0,
            "src/ApprovalBot/appsettings.json ships values the sample does not show:" + Environment.NewLine + string.Join(Environment.NewLine, differences));
    }

    [Fact]
    public void KeysBoundByTwoClasses_HaveTheSameTypeAndDefault()
    {
        var conflicts = ConfigurationCatalog.Keys
            .GroupBy(k => k.Path, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .SelectMany(g => g.Skip(1).Select(other => (first: g.First(), other)))
            .Where(p => p.first.Property.PropertyType != p.other.Property.PropertyType
                        || !ConfigurationCatalog.SameValue(p.first.ValueIn(Activator.CreateInstance(p.first.Owner.Type)!),
                                                           p.other.ValueIn(Activator.CreateInstance(p.other.Owner.Type)!)))
            .Select(p => $"{p.first} vs {p.other}")
            .ToList();

        Assert.True(conflicts.Count == 0, "One key, two meanings: " + string.Join(", ", conflicts));
    }

    private static Dictionary<string, JsonNode?> SampleLeaves()
    {
        var maps = ConfigurationCatalog.Keys.Where(k => k.Property.PropertyType.IsGenericType && k.Property.PropertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            .Select(k => k.Path).ToHashSet(StringComparer.Ordinal);
        var leaves = ConfigurationFiles.Leaves(ConfigurationFiles.ReadJsonWithComments(ConfigurationFiles.SamplePath), maps);
        var duplicates = leaves.GroupBy(l => l.Key, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "Keys that appear twice in the sample (configuration keys are case-insensitive): " + string.Join(", ", duplicates));
        return leaves.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
    }

    private static IReadOnlyList<DocumentedKey> DocumentedKeys()
    {
        var rows = ConfigurationFiles.DocumentedKeys(out var malformed);
        Assert.True(malformed.Count == 0, "Malformed rows in docs/configuration.md:" + Environment.NewLine + string.Join(Environment.NewLine, malformed));
        Assert.NotEmpty(rows);
        return rows;
    }

    private static object Bind(IConfiguration configuration, BoundOptions bound)
    {
        var instance = Activator.CreateInstance(bound.Type)!;
        (bound.Section.Length == 0 ? configuration : configuration.GetSection(bound.Section)).Bind(instance);
        return instance;
    }

    /// <summary>
    /// The services of the host as Program.cs composes them, over the sample (and overrides) only: an empty builder
    /// reads no appsettings.json and no environment variable, so nothing on this machine leaks in. Nothing is started
    /// and no database is opened; the content root only anchors the SQLite path.
    /// </summary>
    private static ServiceProvider HostServices(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddConfiguration(ConfigurationFiles.SampleConfiguration(overrides));

        // The modules of Program.cs, in its order.
        builder.AddClock();
        builder.AddStorage();
        builder.AddScheduling();
        builder.AddBotProtocol();
        builder.AddDirectory();
        builder.AddTeams();
        builder.AddApprovals();
        builder.AddAgreements();
        builder.AddEscalations();
        builder.AddCommunicationPlans();
        builder.AddHealth();
        builder.AddApi();
        builder.AddDashboard();
        builder.AddMetrics();
        builder.AddOperations();
        builder.AddPrivacy();

        return builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary><c>IOptions&lt;T&gt;.Value</c> for every bound class: binds as the host binds and runs every registered validator.</summary>
    private static Dictionary<Type, object> ResolveAllOptions(IServiceProvider services)
    {
        var resolved = new Dictionary<Type, object>();
        var failures = new List<string>();
        foreach (var bound in ConfigurationCatalog.Bound)
        {
            var options = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(bound.Type));
            try
            {
                resolved[bound.Type] = options.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(options)!;
            }
            catch (TargetInvocationException e) when (e.InnerException is OptionsValidationException or InvalidOperationException)
            {
                failures.Add($"{bound}: {e.InnerException.Message}");
            }
        }
        Assert.True(failures.Count == 0, "Options that do not bind or validate:" + Environment.NewLine + string.Join(Environment.NewLine, failures));
        return resolved;
    }
}
