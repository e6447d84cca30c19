using ApprovalBot.Approvals;
using ApprovalBot.Digests.Cards;
using ApprovalBot.Digests.Subscriptions;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Digests;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Commands;

namespace ApprovalBot.Digests.Teams;

/// <summary>
/// <c>digest</c>: <c>digest now</c> (or <c>digest</c>) posts the sender's own digest card here — in a channel only when
/// the sender takes part in something it covers. <c>digest [subscribe] daily HH:MM</c> / <c>weekly DAY HH:MM</c>
/// subscribes the sender (1:1) or the channel (in a channel: the sender's view, in the sender's time zone);
/// <c>digest off</c> stops it; <c>digest status</c> says what is subscribed, the next delivery and who read the last ones.
/// </summary>
public sealed class DigestCommandHandler(
    GatherDigest digests, DigestCards cards, TeamsPeople people, ApprovalClock clock, HelpCards help, global::ApprovalBot.Teams.Outbox.Outbox outbox,
    SubscribeToDigest subscribe, StopDigest stop, DescribeDigestSubscription describe) : IActivityHandler
{
    public static readonly CommandInfo Info = new(
        "digest", "digest [now | daily HH:MM | weekly DAY HH:MM | off | status]",
        "Your status digest: approval requests waiting (age and who is blocking), your active escalations by SLA state, and the KPIs of your agreements. " +
        "Now, or every day or week at your local time (in a channel: for the channel, as you see it), with an Acknowledge button.",
        ["digest now", "digest daily 08:00", "digest weekly mon 09:00", "digest status", "digest off"]) { Area = "Reports", InMenu = false };

    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var tokens = turn.Command!.Tokens;
        var first = tokens.Count == 0 ? "now" : tokens[0].ToLowerInvariant();
        if (first is not ("now" or "subscribe" or "daily" or "weekly" or "off" or "status") || (first is "now" or "off" or "status" && tokens.Count > 1))
            return await UsageAsync(turn, $"'{HelpCards.Quote(string.Join(' ', tokens))}' is not a digest command: say digest now, digest daily 08:00, digest weekly mon 09:00, digest status or digest off.", cancellationToken);
        if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } me)
            return await outbox.ReplyWithCardAsync(turn, help.Error("I cannot tell who you are (your Teams account has no directory id)."), cancellationToken);
        var recipient = Recipient(turn, me);

        switch (first)
        {
            case "now":
                return await NowAsync(turn, me, cancellationToken);
            case "status":
                return await SayAsync(turn, await describe.HandleAsync(recipient, cancellationToken), cancellationToken);
            case "off":
                var stopped = await stop.HandleAsync(recipient, cancellationToken);
                return await SayAsync(turn, stopped is null
                    ? (turn.IsPersonal ? "You have no digest subscription to stop." : "This channel has no digest subscription to stop.")
                    : $"Stopped: no more digests{(turn.IsPersonal ? "" : " in this channel")} (it was {stopped.Schedule.Describe()}). Subscribe again any time.", cancellationToken);
        }

        DigestSchedule schedule;
        try
        {
            schedule = DigestSchedule.Parse(first == "subscribe" ? [.. tokens.Skip(1)] : tokens);
        }
        catch (DomainException e)
        {
            return await UsageAsync(turn, e.Message, cancellationToken);
        }
        var zone = await DigestZones.ResolveAsync(people, me, turn.Activity, cancellationToken);
        var done = await subscribe.HandleAsync(new SubscribeToDigestInput(recipient, me, schedule, zone), cancellationToken);
        var subscription = done.Subscription;
        var who = recipient.Kind == DigestRecipientKind.Channel ? "this channel gets the digest" : "you get your digest";
        var next = DigestFooter.Time(subscription.NextDueAt!.Value, zone.Zone, withDate: true);
        return await SayAsync(turn,
            $"{(done.Changed ? "Changed" : "Subscribed")}: {who} {schedule.Describe()}{(recipient.Kind == DigestRecipientKind.Channel ? " (your view)" : "")}, " +
            $"in {zone.Describe()}. Next delivery: {next} {zone.Zone.Id}. Stop with digest off.", cancellationToken);
    }

    /// <summary>The recipient a command in this conversation is about: the sender in a 1:1 chat, else the channel.</summary>
    public static DigestRecipient Recipient(TurnContext turn, PersonId me)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (turn.IsPersonal) return new DigestRecipient(DigestRecipientKind.Person, me.Value);
        var channel = turn.Activity.ChannelData?.Channel?.Id is { Length: > 0 } id ? id : turn.ConversationId.Split(';')[0];
        return new DigestRecipient(DigestRecipientKind.Channel, channel);
    }

    private async Task<InvokeResponse?> NowAsync(TurnContext turn, PersonId me, CancellationToken cancellationToken)
    {
        var digest = await digests.HandleAsync(me, cancellationToken);
        if (!turn.IsPersonal && digest.IsEmpty)
            return await SayAsync(turn, "You take part in no waiting approval request, active escalation or agreement, so there is no digest of yours to post here.", cancellationToken);
        var zone = await people.TimeZoneAsync(me, clock.TimeZone, cancellationToken);
        return await outbox.ReplyWithCardAsync(turn, cards.Render(digest, zone), cancellationToken);
    }

    private Task<InvokeResponse?> UsageAsync(TurnContext turn, string error, CancellationToken cancellationToken) =>
        outbox.ReplyWithCardAsync(turn, help.One(Info, error), cancellationToken);

    private async Task<InvokeResponse?> SayAsync(TurnContext turn, string text, CancellationToken cancellationToken)
    {
        await outbox.ReplyAsync(turn, new Activity { Type = ActivityTypes.Message, Text = text, TextFormat = "plain" }, cancellationToken);
        return null;
    }
}

/// <summary>
/// Acknowledge on a delivered digest (<see cref="DigestVerbs.Acknowledge"/>): records the read and answers with the card
/// showing it (its other copies are updated through the outbox); a foreign, misplaced or unknown click gets a clear
/// message and changes nothing.
/// </summary>
public sealed class DigestAcknowledgeHandler(AcknowledgeDigest acknowledge, TeamsPeople people) : IActivityHandler
{
    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var data = new global::ApprovalBot.Approvals.Teams.ActionData(turn.CardAction?.Action?.Data);
        if (data.Number("deliveryId") is not { } id)
            return InvokeResponse.Error(400, "BadRequest", "This card is missing its digest.");
        if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } me)
            return InvokeResponse.Message("I cannot tell who you are (your Teams account has no directory id).");
        var channel = turn.IsPersonal ? null : turn.Activity.ChannelData?.Channel?.Id ?? turn.ConversationId.Split(';')[0];
        var result = await acknowledge.HandleAsync(new AcknowledgeDigestInput(id, me, channel), cancellationToken);
        if (result.Refusal is { } refusal) return InvokeResponse.Message(refusal);
        return result.Card is { } card ? InvokeResponse.Card(card) : InvokeResponse.Message("Acknowledged.");
    }
}

/// <summary>The <c>Action.Execute</c> verbs of the digest card.</summary>
public static class DigestVerbs
{
    /// <summary>Acknowledge on a subscribed digest; data <c>{ "deliveryId": long }</c>.</summary>
    public const string Acknowledge = "digest.ack";
}
