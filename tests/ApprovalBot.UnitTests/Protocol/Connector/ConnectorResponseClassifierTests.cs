using System.Net.Http.Headers;
using ApprovalBot.Protocol.Connector;

namespace ApprovalBot.UnitTests.Protocol.Connector;

public sealed class ConnectorResponseClassifierTests
{
    private static string Error(string code) => $$$"""{"error":{"code":"{{{code}}}","message":"m"}}""";

    [Theory]
    [InlineData(200, null, ConnectorResultKind.Succeeded, false, null)]
    [InlineData(201, null, ConnectorResultKind.Succeeded, false, null)]
    [InlineData(202, null, ConnectorResultKind.Succeeded, false, null)]
    [InlineData(403, "ConversationBlockedByUser", ConnectorResultKind.RecipientGone, false, "ConversationBlockedByUser")]
    [InlineData(403, "BotNotInConversationRoster", ConnectorResultKind.RecipientGone, false, "BotNotInConversationRoster")]
    [InlineData(403, "MessageWritesBlocked", ConnectorResultKind.RecipientGone, false, "MessageWritesBlocked")]
    [InlineData(403, "ForbiddenOperationException", ConnectorResultKind.RecipientGone, false, "ForbiddenOperationException")]
    [InlineData(403, "BotDisabledByAdmin", ConnectorResultKind.RecipientGone, false, "BotDisabledByAdmin")]
    [InlineData(403, "InvalidBotApiHost", ConnectorResultKind.Failed, false, "InvalidBotApiHost")]
    [InlineData(403, "NotEnoughPermissions", ConnectorResultKind.Failed, false, "NotEnoughPermissions")]
    [InlineData(404, "ConversationNotFound", ConnectorResultKind.RecipientGone, false, "ConversationNotFound")]
    [InlineData(404, "ActivityNotFoundInConversation", ConnectorResultKind.ActivityNotFound, false, "ActivityNotFoundInConversation")]
    [InlineData(404, "MemberNotFoundInConversation", ConnectorResultKind.Failed, false, "MemberNotFoundInConversation")]
    [InlineData(412, "PreconditionFailed", ConnectorResultKind.Failed, true, "PreconditionFailed")]
    [InlineData(429, "Throttled", ConnectorResultKind.Throttled, true, "Throttled")]
    [InlineData(502, "ServiceError", ConnectorResultKind.Failed, true, "ServiceError")]
    [InlineData(503, null, ConnectorResultKind.Failed, true, null)]
    [InlineData(504, null, ConnectorResultKind.Failed, true, null)]
    [InlineData(400, "BadArgument", ConnectorResultKind.Failed, false, "BadArgument")]
    [InlineData(401, "BotNotRegistered", ConnectorResultKind.Failed, false, "BotNotRegistered")]
    [InlineData(413, "MessageSizeTooBig", ConnectorResultKind.Failed, false, "MessageSizeTooBig")]
    [InlineData(500, "ServiceError", ConnectorResultKind.Failed, false, "ServiceError")]
    public void Classify_MapsStatusAndCode_PerTheTeamsStatusTable(int status, string? code, ConnectorResultKind kind, bool transient, string? expectedCode)
    {
        var c = ConnectorResponseClassifier.Classify(status, code is null ? null : Error(code));

        Assert.Equal(kind, c.Kind);
        Assert.Equal(transient, c.Transient);
        Assert.Equal(kind == ConnectorResultKind.Throttled ? expectedCode ?? "Throttled" : expectedCode, c.ErrorCode);
    }

    [Fact]
    public void Classify_ReturnsThrottledCode_When429HasNoBody()
    {
        var c = ConnectorResponseClassifier.Classify(429, null);

        Assert.Equal(ConnectorResultKind.Throttled, c.Kind);
        Assert.Equal(ConnectorErrorCodes.Throttled, c.ErrorCode);
    }

    [Theory]
    [InlineData("""{"error":{"code":"Forbidden","message":"blocked","subCode":"MessageWritesBlocked"}}""")]
    [InlineData("""{"error":{"code":"Forbidden","message":"x"},"subCode":"MessageWritesBlocked"}""")]
    [InlineData("""{"error":{"code":"Forbidden","innerHttpError":{"statusCode":403,"body":{"subCode":"MessageWritesBlocked","errorCode":209}}}}""")]
    [InlineData("""{"error":{"code":"Forbidden","message":"Thread is blocked: MessageWritesBlocked (209)"}}""")]
    public void Classify_ReturnsRecipientGone_WhenMessageWritesBlockedAppearsAsSubCode(string body)
    {
        var c = ConnectorResponseClassifier.Classify(403, body);

        Assert.Equal(ConnectorResultKind.RecipientGone, c.Kind);
        Assert.Equal(ConnectorErrorCodes.MessageWritesBlocked, c.ErrorCode);
    }

    [Theory]
    [InlineData("<html>Bad gateway</html>")]
    [InlineData("[1,2]")]
    [InlineData("""{"error":"flat string"}""")]
    [InlineData("")]
    public void Classify_ToleratesBodiesOfAnyShape_WhenErrorIsNotTheDocumentedObject(string body)
    {
        var c = ConnectorResponseClassifier.Classify(400, body);

        Assert.Equal(ConnectorResultKind.Failed, c.Kind);
        Assert.Null(c.ErrorCode);
    }

    [Fact]
    public void ParseRetryAfter_ReturnsDelta_WhenHeaderIsSeconds()
    {
        var now = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(12), ConnectorResponseClassifier.ParseRetryAfter(new RetryConditionHeaderValue(TimeSpan.FromSeconds(12)), now));
    }

    [Fact]
    public void ParseRetryAfter_ReturnsTimeUntilDate_WhenHeaderIsHttpDate()
    {
        var now = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(30), ConnectorResponseClassifier.ParseRetryAfter(new RetryConditionHeaderValue(now.AddSeconds(30)), now));
        Assert.Equal(TimeSpan.Zero, ConnectorResponseClassifier.ParseRetryAfter(new RetryConditionHeaderValue(now.AddSeconds(-30)), now));
        Assert.Null(ConnectorResponseClassifier.ParseRetryAfter(null, now));
    }
}
