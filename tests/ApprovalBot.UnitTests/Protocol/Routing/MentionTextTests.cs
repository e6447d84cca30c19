using System.Text.Json;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;

namespace ApprovalBot.UnitTests.Protocol.Routing;

public class MentionTextTests
{
    private const string BotId = "28:bot";

    private static Activity Message(string text, params (string Id, string Name, string? Text)[] mentions) => new()
    {
        Type = ActivityTypes.Message,
        Text = text,
        Recipient = new ChannelAccount { Id = BotId, Name = "ApprovalBot" },
        Entities = [.. mentions.Select(m => JsonSerializer.Deserialize<Entity>(
            JsonSerializer.Serialize(new { type = "mention", text = m.Text, mentioned = new { id = m.Id, name = m.Name } }), ProtocolJson.Options)!)],
    };

    [Fact]
    public void StripBotMention_RemovesTheEntityText_WhenTheMentionLeadsTheMessage()
    {
        var text = MentionText.StripBotMention(Message("<at>ApprovalBot</at> help", (BotId, "ApprovalBot", "<at>ApprovalBot</at>")));
        Assert.Equal("help", text);
    }

    [Fact]
    public void StripBotMention_RemovesTheMention_WhenItStandsInTheMiddleAndTeamsGluedTheNextWord()
    {
        var text = MentionText.StripBotMention(Message("please <at>ApprovalBot</at>status 42", (BotId, "ApprovalBot", "<at>ApprovalBot</at>")));
        Assert.Equal("please status 42", text);
    }

    [Fact]
    public void StripBotMention_MatchesCaseInsensitively_WhenTheEntityTextDiffersInCase()
    {
        var text = MentionText.StripBotMention(Message("<AT>approvalbot</AT> help", (BotId, "ApprovalBot", "<at>ApprovalBot</at>")));
        Assert.Equal("help", text);
    }

    [Fact]
    public void StripBotMention_UsesTheName_WhenTheEntityHasNoText()
    {
        var text = MentionText.StripBotMention(Message("<at>ApprovalBot</at> help", (BotId, "ApprovalBot", null)));
        Assert.Equal("help", text);
    }

    [Fact]
    public void StripBotMention_KeepsOtherPeoplesNames_WhenTheyAreMentionedToo()
    {
        var text = MentionText.StripBotMention(Message(
            "<at>ApprovalBot</at> assign 7 <at>Tom Jones</at>is on it",
            (BotId, "ApprovalBot", "<at>ApprovalBot</at>"), ("29:tom", "Tom Jones", "<at>Tom Jones</at>")));
        Assert.Equal("assign 7 Tom Jones is on it", text);
    }

    [Fact]
    public void StripBotMention_LeavesTextAlone_WhenTheMentionIsOfSomeoneElse()
    {
        var text = MentionText.StripBotMention(Message("<at>Tom</at> help", ("29:tom", "Tom", "<at>Tom</at>")));
        Assert.Equal("Tom help", text);
    }

    [Fact]
    public void StripBotMention_HandlesAnAtSignInsideTheMarkup_WhenTheClientAddsOne()
    {
        var text = MentionText.StripBotMention(Message("<at>@ApprovalBot</at> help", (BotId, "ApprovalBot", "<at>@ApprovalBot</at>")));
        Assert.Equal("help", text);
    }

    [Fact]
    public void StripBotMention_StripsAChannelFixtureToItsCommand_WhenParsedFromARealPayload()
    {
        var activity = JsonSerializer.Deserialize<Activity>(File.ReadAllText(Fixture("channel-mention.json")), ProtocolJson.Options)!;
        Assert.Equal("escalate Contoso P1 \"Mail is down\"", MentionText.StripBotMention(activity));
    }

    internal static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Protocol", "Fixtures", name);
}
