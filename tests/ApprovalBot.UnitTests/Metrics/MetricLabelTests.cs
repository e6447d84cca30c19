using ApprovalBot.Domain.Escalations;
using ApprovalBot.Metrics;
using ApprovalBot.Protocol.Connector;
using ApprovalBot.Protocol.Diagnostics;

namespace ApprovalBot.UnitTests.Metrics;

/// <summary>The label values the bot derives: snake_case names, classified send results, SLA states.</summary>
public sealed class MetricLabelTests
{
    [Theory]
    [InlineData("TokenExpired", "token_expired")]
    [InlineData("conversationUpdate", "conversation_update")]
    [InlineData("CreateAndSend", "create_and_send")]
    [InlineData("message", "message")]
    public void SnakeCase_TurnsEnumAndActivityTypeNamesIntoLabelValues(string name, string expected) =>
        Assert.Equal(expected, ProtocolMetrics.SnakeCase(name));

    [Fact]
    public void ResultLabel_ClassifiesEveryKindOfSendResult()
    {
        Assert.Equal("sent", BotMetrics.ResultLabel(SendResult.Sent("1")));
        Assert.Equal("throttled", BotMetrics.ResultLabel(SendResult.Throttled(TimeSpan.FromSeconds(1))));
        Assert.Equal("recipient_gone", BotMetrics.ResultLabel(SendResult.RecipientGone(403, ConnectorErrorCodes.ConversationBlockedByUser)));
        Assert.Equal("activity_not_found", BotMetrics.ResultLabel(SendResult.ActivityNotFound()));
        Assert.Equal("failed_transient", BotMetrics.ResultLabel(SendResult.Failed(503, ConnectorErrorCodes.ServiceError, retryable: true)));
        Assert.Equal("failed", BotMetrics.ResultLabel(SendResult.Failed(400, ConnectorErrorCodes.BadArgument, retryable: false)));
    }

    [Theory]
    [InlineData(EscalationState.OnHold, true, true, "on_hold")]
    [InlineData(EscalationState.Open, true, true, "resolution_breached")]
    [InlineData(EscalationState.Acknowledged, false, true, "resolution_breached")]
    [InlineData(EscalationState.Open, true, false, "response_breached")]
    [InlineData(EscalationState.Acknowledged, false, false, "on_track")]
    public void SlaState_PutsAHoldFirst_ThenTheResolutionBreach_ThenTheResponseBreach(EscalationState state, bool response, bool resolution, string expected)
    {
        Assert.Equal(expected, MetricsGauges.SlaState(state, response, resolution));
        Assert.Contains(expected, MetricsGauges.SlaStates);
    }
}
