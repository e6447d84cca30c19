using ApprovalBot.Protocol.Routing;

namespace ApprovalBot.Teams.Commands;

/// <summary>The one reply to a user over the per-user command rate: what happened (nothing), and when to try again.</summary>
public sealed class ThrottledTurnReply(HelpCards help, Outbox.Outbox outbox) : IThrottledTurnReply
{
    public async ValueTask ReplyAsync(TurnContext turn, TimeSpan retryAfter, CancellationToken cancellationToken) =>
        await outbox.ReplyWithCardAsync(turn, help.Error(
            $"You are sending commands faster than I take them, so I did nothing with your last message. Try again in {retryAfter.TotalSeconds:0} s."),
            cancellationToken);
}
