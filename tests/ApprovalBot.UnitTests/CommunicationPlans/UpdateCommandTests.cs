using ApprovalBot.CommunicationPlans.Teams;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.TestSupport.Domain;

namespace ApprovalBot.UnitTests.CommunicationPlans;

/// <summary>How <c>update &lt;agreement&gt; &lt;text&gt;</c> splits the name from the update text.</summary>
public class UpdateCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static List<Agreement> Named(params string[] names) =>
        [.. names.Select(n => Agreement.CreateDraft(n, SampleTerms.Complete(), People.Alice, Now))];

    [Theory]
    [InlineData("Contoso help desk All fine.", "Contoso help desk", "All fine.")]
    [InlineData("contoso HELP desk all fine", "Contoso help desk", "all fine")]
    [InlineData("fab  Backups  green\nsecond line", "Fabrikam", "Backups  green\nsecond line")]
    [InlineData("\"Contoso help desk\" quoted \"words\" stay", "Contoso help desk", "quoted \"words\" stay")]
    [InlineData("Contoso help Fine.", "Contoso help", "Fine.")]
    public void Split_TakesTheExactNameFirst_ThenAUniqueBeginning_AndKeepsTheRestAsTyped(string arguments, string agreement, string text)
    {
        var (found, rest, problem) = UpdateCommandHandler.Split(arguments, Named("Contoso help desk", "Contoso help", "Fabrikam"));

        Assert.Null(problem);
        Assert.Equal((agreement, text), (found!.Name, rest));
    }

    [Theory]
    [InlineData("", "Which agreement, and what is the update?")]
    [InlineData("Contoso help desk", "Write the update after the agreement's name.")]
    [InlineData("Northwind all good", "No active agreement is called 'Northwind'.")]
    [InlineData("Con all good", "'Con' could be Contoso help desk, Contoso network. Which one?")]
    [InlineData("Fabrikam", "Write the update after the agreement's name.")]
    public void Split_SaysWhatIsWrong_WhenNoAgreementOrNoTextCanBeRead(string arguments, string expected)
    {
        var (found, _, problem) = UpdateCommandHandler.Split(arguments, Named("Contoso help desk", "Contoso network", "Fabrikam"));

        Assert.Null(found);
        Assert.Equal(expected, problem);
    }
}
