using System.Text.Json.Nodes;
using ApprovalBot.Protocol.Schema;

namespace ApprovalBot.Teams.Cards;

/// <summary>Wraps rendered cards for sending. A card message carries no text (bot-protocol: text + card are split and can never be updated).</summary>
public static class CardActivities
{
    /// <summary>The card as an attachment of content type <see cref="ContentTypes.AdaptiveCard"/>.</summary>
    public static Attachment ToAttachment(JsonObject card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return new Attachment { ContentType = ContentTypes.AdaptiveCard, Content = card };
    }

    /// <summary>A message activity whose only content is the card: no text, no summary.</summary>
    public static Activity ToMessage(JsonObject card) => new()
    {
        Type = ActivityTypes.Message,
        Attachments = [ToAttachment(card)],
    };
}
