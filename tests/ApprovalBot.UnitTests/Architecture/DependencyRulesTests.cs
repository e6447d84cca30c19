using System.Reflection;
using System.Text.RegularExpressions;

namespace ApprovalBot.UnitTests.Architecture;

/// <summary>The dependency rules of architecture.md, checked on the built assemblies and on the sources.</summary>
public partial class DependencyRulesTests
{
    private static readonly Assembly Domain = typeof(ApprovalBot.Domain.DomainAssembly).Assembly;
    private static readonly Assembly Protocol = typeof(ApprovalBot.Protocol.ProtocolAssembly).Assembly;

    private static readonly string[] SourceProjects = ["src/ApprovalBot", "src/ApprovalBot.Protocol", "src/ApprovalBot.Domain"];

    private static IEnumerable<string> References(Assembly assembly) => assembly.GetReferencedAssemblies().Select(a => a.Name!);

    [Fact]
    public void Domain_ReferencesNothingButTheRuntime()
    {
        var foreign = References(Domain).Where(n => !IsRuntime(n)).ToList();
        Assert.True(foreign.Count == 0, $"ApprovalBot.Domain must reference nothing but the runtime; it references {string.Join(", ", foreign)}.");
    }

    [Fact]
    public void Protocol_ReferencesOnlyAspNetCoreIdentityModelMsalAndPolly()
    {
        var allowed = new[] { "Microsoft.AspNetCore", "Microsoft.Extensions.", "Microsoft.IdentityModel.", "Microsoft.Identity.Client", "Polly", "System.IdentityModel" };
        var foreign = References(Protocol).Where(n => !IsRuntime(n) && !allowed.Any(a => n.StartsWith(a, StringComparison.Ordinal))).ToList();
        Assert.True(foreign.Count == 0, $"ApprovalBot.Protocol may use ASP.NET Core, IdentityModel, MSAL and Polly only; it references {string.Join(", ", foreign)}.");
    }

    [Fact]
    public void Protocol_KnowsNoDomainNoEfCoreAndNoQuartz()
    {
        var names = References(Protocol).ToList();
        Assert.DoesNotContain(names, n => n.StartsWith("ApprovalBot", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.StartsWith("Quartz", StringComparison.Ordinal));
    }

    [Fact]
    public void Quartz_IsConfiguredAndUsedOnlyInScheduling()
    {
        var offenders = SourceFiles("src/ApprovalBot")
            .Where(f => !InFolder(f, "src/ApprovalBot/Scheduling") && UsesQuartz().IsMatch(File.ReadAllText(f)))
            .ToList();
        Assert.True(offenders.Count == 0, "Only Scheduling/ may use Quartz: " + string.Join(", ", offenders.Select(Relative)));
    }

    [Fact]
    public void EfMappingsAndProviders_AreConfiguredOnlyInStorage()
    {
        var offenders = SourceFiles("src/ApprovalBot")
            .Where(f => !InFolder(f, "src/ApprovalBot/Storage") && EfConfiguration().IsMatch(File.ReadAllText(f)))
            .ToList();
        Assert.True(offenders.Count == 0, "Only Storage/ may map entities or choose a database provider: " + string.Join(", ", offenders.Select(Relative)));
    }

    [Fact]
    public void InfrastructureFolders_NeverCallIntoFeatures()
    {
        var features = new[] { "Agreements", "Approvals", "Escalations", "CommunicationPlans", "Digests", "Breaches" };
        var infrastructure = new[] { "src/ApprovalBot/Teams", "src/ApprovalBot/Storage", "src/ApprovalBot/Scheduling" };
        var offenders = infrastructure.SelectMany(SourceFiles)
            .Where(f => features.Any(feature => File.ReadAllText(f).Contains($"ApprovalBot.{feature}", StringComparison.Ordinal)))
            .ToList();
        Assert.True(offenders.Count == 0, "Teams/, Storage/ and Scheduling/ must not call into features: " + string.Join(", ", offenders.Select(Relative)));
    }

    [Fact]
    public void Logging_UsesSourceGeneratedLoggerMessagesOnly()
    {
        var offenders = SourceProjects.SelectMany(SourceFiles)
            .Where(f => DirectLogCall().IsMatch(File.ReadAllText(f)))
            .ToList();
        Assert.True(offenders.Count == 0, "Log through [LoggerMessage] methods, not logger.LogX(...): " + string.Join(", ", offenders.Select(Relative)));
    }

    [Fact]
    public void BannedSymbols_BanTheStaticClocks()
    {
        var banned = File.ReadAllText(Path.Combine(RepositoryRoot, "BannedSymbols.txt"));
        foreach (var symbol in new[] { "P:System.DateTime.Now", "P:System.DateTime.UtcNow", "P:System.DateTimeOffset.Now", "P:System.DateTimeOffset.UtcNow" })
            Assert.Contains(symbol, banned, StringComparison.Ordinal);
        Assert.Contains("BannedSymbols.txt", File.ReadAllText(Path.Combine(RepositoryRoot, "Directory.Build.props")), StringComparison.Ordinal);
    }

    private static bool IsRuntime(string name) =>
        name is "System.Runtime" or "netstandard" or "mscorlib" || name.StartsWith("System.", StringComparison.Ordinal) && !name.StartsWith("System.IdentityModel", StringComparison.Ordinal);

    internal static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ApprovalBot.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("ApprovalBot.sln not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static bool InFolder(string file, string folder) =>
        Path.GetFullPath(file).StartsWith(Path.GetFullPath(Path.Combine(RepositoryRoot, folder)) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string Relative(string file) => Path.GetRelativePath(RepositoryRoot, file);

    [GeneratedRegex(@"^\s*using\s+Quartz\b", RegexOptions.Multiline)]
    private static partial Regex UsesQuartz();

    [GeneratedRegex(@"IEntityTypeConfiguration<|\.UseNpgsql\(|\bModelBuilder\b|\bDbContextOptionsBuilder\b")]
    private static partial Regex EfConfiguration();

    [GeneratedRegex(@"\.Log(Trace|Debug|Information|Warning|Error|Critical)\(")]
    private static partial Regex DirectLogCall();
}
