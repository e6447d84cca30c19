using ApprovalBot.Escalations.Teams;

namespace ApprovalBot.UnitTests.Escalations.Teams;

public class EscalationReferenceTests
{
    [Theory]
    [InlineData("E-42", 42)]
    [InlineData("e-42", 42)]
    [InlineData("E42", 42)]
    [InlineData("e42", 42)]
    [InlineData("42", 42)]
    [InlineData(" E-7 ", 7)]
    [InlineData("E-000123", 123)]
    [InlineData("999999999999999999", 999999999999999999)]
    public void TryParse_ReadsTheId_WhenWrittenAsOnTheCardOrAsABareNumber(string text, long expected)
    {
        Assert.True(EscalationReference.TryParse(text, out var id));
        Assert.Equal(expected, id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("E-")]
    [InlineData("E")]
    [InlineData("E--42")]
    [InlineData("E 42")]
    [InlineData("#42")]
    [InlineData("X-42")]
    [InlineData("42a")]
    [InlineData("-42")]
    [InlineData("+42")]
    [InlineData("E-0")]
    [InlineData("0")]
    [InlineData("4.2")]
    [InlineData("E-1234567890123456789")] // more digits than an id has
    [InlineData("E-\u0664\u0662")]        // Arabic-Indic digits
    public void TryParse_Refuses_WhenTheTextIsNoEscalationId(string? text)
    {
        Assert.False(EscalationReference.TryParse(text, out var id));
        Assert.Equal(0, id);
    }

    [Theory]
    [InlineData("E-42", true)]
    [InlineData("e42", true)]
    [InlineData("42", false)]
    [InlineData("365", false)]
    public void TryParse_WithPrefixRequired_TakesOnlyTheEForm(string text, bool accepted)
    {
        Assert.Equal(accepted, EscalationReference.TryParse(text, out _, prefixRequired: true));
    }
}
