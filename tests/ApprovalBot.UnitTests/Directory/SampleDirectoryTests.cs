using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.OrgDirectory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApprovalBot.UnitTests.OrgDirectory;

/// <summary>The shipped sample: the Agents Playground's mock users, so the agreement flow works there out of the box.</summary>
public sealed class SampleDirectoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    // The Playground's built-in users (its default config: Teams id, name, aadObjectId, UPN).
    public static TheoryData<string, string, string, string> PlaygroundUsers => new()
    {
        { "user-id-0", "Alex Wilber", "00000000-0000-0000-0000-0000000000020", "alexw@example.com" },
        { "user-id-1", "Megan Bowen", "00000000-0000-0000-0000-0000000000021", "meganb@example.com" },
        { "user-id-2", "Adele Vance", "00000000-0000-0000-0000-0000000000022", "adelev@example.com" },
        { "user-id-3", "Isaiah Langer", "00000000-0000-0000-0000-0000000000023", "isaiah@example.com" },
        { "user-id-4", "Patti Fernandez", "00000000-0000-0000-0000-0000000000024", "pattif@example.com" },
        { "user-id-5", "Lynne Robbins", "00000000-0000-0000-0000-0000000000025", "lynner@example.com" },
    };

    private static readonly PersonId Alex = new("00000000-0000-0000-0000-0000000000020");

    private static JsonFileDirectory Sample() => DirectoryModule.Load(new DirectoryOptions(), "/", NullLogger.Instance);

    [Theory]
    [MemberData(nameof(PlaygroundUsers))]
    public async Task Sample_HoldsEachPlaygroundUser_UnderTheirAadObjectId(string teamsId, string name, string aadObjectId, string upn)
    {
        var person = await Sample().GetPersonAsync(new PersonId(aadObjectId), None);

        Assert.NotNull(person);
        Assert.Equal(name, person.DisplayName);
        Assert.Equal(teamsId, person.TeamsUserId);
        Assert.Equal(person, await Sample().FindByEmailOrUpnAsync(upn, None));
        Assert.NotNull(person.TimeZone);
    }

    [Fact]
    public async Task Sample_ResolvesTheWholeAgreementFlow_ForAlexAsRequester()
    {
        var resolver = new DirectoryApproverResolver(Sample());
        var names = new List<string[]>();
        foreach (var stage in BuiltInFlows.Agreement().Stages)
        {
            var resolution = await resolver.ResolveAsync(stage.Approvers, Alex, None);
            Assert.True(resolution.IsResolved, resolution.Failure);
            names.Add([.. await Task.WhenAll(resolution.Approvers.Select(async id => (await Sample().GetPersonAsync(id, None))!.DisplayName))]);
        }

        Assert.Equal([["Megan Bowen"], ["Adele Vance", "Isaiah Langer"], ["Patti Fernandez", "Lynne Robbins"]], names);
    }

    [Fact]
    public async Task Sample_GivesEveryoneButTheTopAManager_SoOverdueStagesEscalate()
    {
        var sample = Sample();
        foreach (var row in PlaygroundUsers)
        {
            var (name, id) = ((string)row[1], (string)row[2]);
            var manager = await sample.GetManagerAsync(new PersonId(id), None);
            Assert.True(manager is not null || name == "Patti Fernandez", $"{name} has no manager");
        }
    }

    [Fact]
    public void AddDirectory_RegistersTheSampleDirectoryAndResolver_WhenNoFileIsConfigured()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddLogging();
        builder.AddDirectory();
        using var host = builder.Build();

        Assert.IsType<DirectoryApproverResolver>(host.Services.GetRequiredService<IApproverResolver>());
        Assert.Equal(6, Assert.IsType<JsonFileDirectory>(host.Services.GetRequiredService<IDirectory>()).PeopleCount);
    }

    [Fact]
    public async Task AddDirectory_StopsStartUp_WhenTheConfiguredFileIsInvalid()
    {
        var folder = System.IO.Directory.CreateTempSubdirectory("approvalbot-directory-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "people.json"),
                """{ "people": [ { "id": "a", "displayName": "A", "managerId": "nobody" } ] }""");
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder.FullName });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Directory:File"] = "people.json" });
            builder.Services.AddLogging();
            builder.AddDirectory();
            using var host = builder.Build();

            var e = await Assert.ThrowsAsync<DirectoryFileException>(() => host.StartAsync(None));

            Assert.Equal(Path.Combine(folder.FullName, "people.json"), e.FileName);
            Assert.Contains(e.Problems, p => p.Contains("manager 'nobody'", StringComparison.Ordinal));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Load_ReadsTheConfiguredFile_RelativeToTheContentRoot_AndNamesAMissingOne()
    {
        var e = Assert.Throws<DirectoryFileException>(() =>
            DirectoryModule.Load(new DirectoryOptions { File = "missing.json" }, "/nonexistent-root", NullLogger.Instance));

        Assert.Equal("/nonexistent-root/missing.json", e.FileName);
        Assert.Contains("cannot be read (Directory:File)", e.Problems[0], StringComparison.Ordinal);
    }
}
