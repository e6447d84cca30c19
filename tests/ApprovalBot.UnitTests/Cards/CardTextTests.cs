using System.Text.Json.Nodes;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.UnitTests.Cards;

public class CardTextTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("{single} braces}}", "{single} braces}}")]
    [InlineData("{{DATE(2026-01-01T00:00:00Z)}}", "{\u2060{DATE(2026-01-01T00:00:00Z)}}")]
    [InlineData("{{{", "{\u2060{\u2060{")]
    [InlineData("", "")]
    public void Neutralise_BreaksEveryDoubleBrace_AndNothingElse(string text, string expected)
    {
        var result = CardText.Neutralise(text);

        Assert.Equal(expected, result);
        Assert.DoesNotContain("{{", result, StringComparison.Ordinal);
    }

    [Fact]
    public void NeutraliseStrings_CopiesData_ChangingOnlyStrings()
    {
        var data = JsonNode.Parse("""{"a":"{{TIME(2026-01-01T10:00:00Z)}}","n":1.5,"b":true,"z":null,"list":["{{x",{"k":"v"}]}""");

        var result = CardText.NeutraliseStrings(data);

        JsonAssert.Equal(
            JsonNode.Parse("""{"a":"{\u2060{TIME(2026-01-01T10:00:00Z)}}","n":1.5,"b":true,"z":null,"list":["{\u2060{x",{"k":"v"}]}"""),
            result);
        Assert.Equal("{{TIME(2026-01-01T10:00:00Z)}}", data!["a"]!.GetValue<string>());
    }
}
