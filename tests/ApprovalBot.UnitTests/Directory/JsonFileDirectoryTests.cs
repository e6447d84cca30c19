using ApprovalBot.Domain.Common;
using ApprovalBot.OrgDirectory;

namespace ApprovalBot.UnitTests.OrgDirectory;

public sealed class JsonFileDirectoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    internal const string Small = """
        {
          // comments are allowed
          "people": [
            { "id": "boss", "displayName": "Bea Boss", "email": "Bea@Example.com", "userPrincipalName": "bea.upn@example.com", "timeZone": "Europe/Berlin" },
            { "id": "worker", "displayName": "Walt Worker", "email": "walt@example.com", "teamsUserId": "29:walt", "jobTitle": "Engineer", "managerId": "BOSS" },
            { "id": "lawyer", "displayName": "Lee Lawyer", "managerId": "boss" }
          ],
          "groups": [
            { "name": "Legal", "members": [ "lawyer", "boss" ] },
            { "name": "Empty", "members": [] }
          ]
        }
        """;

    private static JsonFileDirectory Directory() => JsonFileDirectory.FromJson(Small);

    [Fact]
    public async Task GetPersonAsync_ReturnsEveryField_WhenThePersonExists()
    {
        var walt = await Directory().GetPersonAsync(new PersonId("worker"), None);

        Assert.Equal(new DirectoryPerson(new PersonId("worker"), "Walt Worker", "walt@example.com", null, "29:walt", "Engineer", null, new PersonId("boss")), walt);
    }

    [Fact]
    public async Task GetPersonAsync_ReturnsNull_WhenTheIdIsUnknown() =>
        Assert.Null(await Directory().GetPersonAsync(new PersonId("nobody"), None));

    [Fact]
    public async Task GetPersonAsync_IgnoresCase_WhenComparingIds() =>
        Assert.Equal("Walt Worker", (await Directory().GetPersonAsync(new PersonId("WORKER"), None))?.DisplayName);

    [Theory]
    [InlineData("bea@example.com")]
    [InlineData("BEA@EXAMPLE.COM")]
    [InlineData("Bea.Upn@Example.com")]
    [InlineData("  bea@example.com ")]
    public async Task FindByEmailOrUpnAsync_FindsThePerson_InAnyCase(string text) =>
        Assert.Equal(new PersonId("boss"), (await Directory().FindByEmailOrUpnAsync(text, None))?.Id);

    [Theory]
    [InlineData("nobody@example.com")]
    [InlineData("")]
    [InlineData("Bea Boss")]
    public async Task FindByEmailOrUpnAsync_ReturnsNull_WhenNoAddressMatches(string text) =>
        Assert.Null(await Directory().FindByEmailOrUpnAsync(text, None));

    [Fact]
    public async Task GetManagerAsync_ReturnsTheManager_WhenOneIsSet() =>
        Assert.Equal("Bea Boss", (await Directory().GetManagerAsync(new PersonId("worker"), None))?.DisplayName);

    [Fact]
    public async Task GetManagerAsync_ReturnsNull_WhenThePersonHasNoManager() =>
        Assert.Null(await Directory().GetManagerAsync(new PersonId("boss"), None));

    [Fact]
    public async Task GetManagerAsync_ReturnsNull_WhenThePersonIsUnknown() =>
        Assert.Null(await Directory().GetManagerAsync(new PersonId("nobody"), None));

    [Fact]
    public async Task GetGroupMembersAsync_ReturnsMembersInFileOrder_WhenTheGroupExists()
    {
        var members = await Directory().GetGroupMembersAsync("legal", None);

        Assert.Equal(["Lee Lawyer", "Bea Boss"], members!.Select(m => m.DisplayName));
    }

    [Fact]
    public async Task GetGroupMembersAsync_ReturnsEmpty_WhenTheGroupHasNoMembers()
    {
        var members = await Directory().GetGroupMembersAsync("Empty", None);

        Assert.NotNull(members);
        Assert.Empty(members);
    }

    [Fact]
    public async Task GetGroupMembersAsync_ReturnsNull_WhenTheGroupIsUnknown() =>
        Assert.Null(await Directory().GetGroupMembersAsync("Finance", None));

    [Fact]
    public async Task GetTimeZoneAsync_ReturnsTheIanaId_OrNullWhenNotSet()
    {
        var directory = Directory();

        Assert.Equal("Europe/Berlin", await directory.GetTimeZoneAsync(new PersonId("boss"), None));
        Assert.Null(await directory.GetTimeZoneAsync(new PersonId("worker"), None));
        Assert.Null(await directory.GetTimeZoneAsync(new PersonId("nobody"), None));
    }

    [Fact]
    public async Task Lookups_Throw_WhenCancelled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Directory().GetPersonAsync(new PersonId("boss"), cancelled.Token));
    }

    [Fact]
    public void FromJson_ListsEveryProblemTogether_WhenTheFileIsInvalid()
    {
        const string json = """
            {
              "people": [
                { "id": "a", "displayName": "A", "email": "same@example.com", "managerId": "b" },
                { "id": "b", "displayName": "B", "userPrincipalName": "SAME@example.com", "managerId": "a" },
                { "id": "A", "displayName": "A again" },
                { "id": "c", "displayName": "C", "managerId": "ghost", "timeZone": "Mars/Olympus" },
                { "id": "d", "displayName": "D", "timeZone": "W. Europe Standard Time", "managerId": "d" },
                { "id": "", "displayName": "No id" },
                { "id": "e" }
              ],
              "groups": [
                { "name": "Legal", "members": [ "a", "stranger", "a" ] },
                { "name": "legal", "members": [] }
              ]
            }
            """;

        var e = Assert.Throws<DirectoryFileException>(() => JsonFileDirectory.FromJson(json, "test.json"));

        Assert.Equal("test.json", e.FileName);
        string[] expected =
        [
            "person A is listed more than once",
            "which a already has",                    // duplicate e-mail/UPN, in any case
            "manager 'ghost', who is not in the directory",
            "'Mars/Olympus', which is not an IANA time zone",
            "'W. Europe Standard Time', which is not an IANA time zone",
            "cycle: a → b → a",
            "cycle: d → d",
            "people[5] has no id",
            "person e has no displayName",
            "member 'stranger', who is not in the directory",
            "lists member 'a' more than once",
            "group 'legal' is listed more than once",
        ];
        foreach (var problem in expected)
            Assert.Contains(e.Problems, p => p.Contains(problem, StringComparison.Ordinal));
        Assert.Equal(expected.Length, e.Problems.Count);
        Assert.Contains("12 problem(s)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{ "people": [], "unknownKey": 1 }""")]
    [InlineData("null")]
    public void FromJson_Throws_WhenTheTextIsNotADirectory(string json) =>
        Assert.Throws<DirectoryFileException>(() => JsonFileDirectory.FromJson(json));

    [Fact]
    public void FromJson_AcceptsAManagerListedAfterTheirReport()
    {
        const string json = """{ "people": [ { "id": "r", "displayName": "R", "managerId": "m" }, { "id": "m", "displayName": "M" } ] }""";

        Assert.Equal(2, JsonFileDirectory.FromJson(json).PeopleCount);
    }
}
