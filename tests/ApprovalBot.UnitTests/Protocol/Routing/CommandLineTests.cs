using ApprovalBot.Protocol.Routing;

namespace ApprovalBot.UnitTests.Protocol.Routing;

public class CommandLineTests
{
    [Fact]
    public void Parse_LowerCasesTheVerbAndKeepsTheRest_WhenGivenMixedCase()
    {
        var command = CommandLine.Parse("  ESCALATE Contoso p1 Mail is down ")!;
        Assert.Equal("escalate", command.Name);
        Assert.Equal("Contoso p1 Mail is down", command.Arguments);
        Assert.Equal(["Contoso", "p1", "Mail", "is", "down"], command.Tokens);
    }

    [Fact]
    public void Parse_GroupsQuotedWords_WhenStraightOrCurlyQuotesAreUsed()
    {
        var command = CommandLine.Parse("escalate \"Contoso IT\" P2 \u201CPrinter on fire\u201D")!;
        Assert.Equal(["Contoso IT", "P2", "Printer on fire"], command.Tokens);
    }

    [Fact]
    public void Parse_AcceptsALeadingSlash_WhenPickedFromACommandMenu()
    {
        Assert.Equal("help", CommandLine.Parse("/help")!.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("/")]
    public void Parse_ReturnsNull_WhenThereIsNoCommand(string text) => Assert.Null(CommandLine.Parse(text));

    [Fact]
    public void Tokenize_KeepsAnUnterminatedQuoteAsOneToken_WhenTheUserForgetsToClose()
    {
        Assert.Equal(["a", "b c"], CommandLine.Tokenize("a \"b c"));
    }
}
