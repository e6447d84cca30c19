using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;

namespace ApprovalBot.UnitTests.Protocol.Routing;

public class ActivityRouteTableTests
{
    private sealed class A : IActivityHandler
    {
        public ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken) => default;
    }

    private sealed class B : IActivityHandler
    {
        public ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken) => default;
    }

    private static CommandInfo Cmd(string name, string area = "General") => new(name, name, "does " + name, []) { Area = area };

    [Fact]
    public void Constructor_Throws_WhenTwoFeaturesRegisterTheSameCommand()
    {
        var one = new ActivityRouteBuilder().OnCommand<A>(Cmd("status"));
        var two = new ActivityRouteBuilder().OnCommand<B>(Cmd("STATUS"));
        var ex = Assert.Throws<InvalidOperationException>(() => new ActivityRouteTable([one, two]));
        Assert.Contains("Command:STATUS", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(A), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_Throws_WhenTheSameCardVerbIsRegisteredTwice()
    {
        var one = new ActivityRouteBuilder().OnCardAction<A>("approve").OnCardAction<B>("approve");
        Assert.Throws<InvalidOperationException>(() => new ActivityRouteTable([one]));
    }

    [Fact]
    public void Constructor_Throws_WhenTwoUnknownCommandHandlersAreRegistered()
    {
        var one = new ActivityRouteBuilder().OnUnknownCommand<A>();
        var two = new ActivityRouteBuilder().OnUnknownCommand<B>();
        Assert.Throws<InvalidOperationException>(() => new ActivityRouteTable([one, two]));
    }

    [Fact]
    public void Find_SeparatesKinds_WhenACommandAndAVerbShareAName()
    {
        var table = new ActivityRouteTable([new ActivityRouteBuilder().OnCommand<A>(Cmd("approve")).OnCardAction<B>("approve")]);
        Assert.Equal(typeof(A), table.Find(RouteKind.Command, "Approve"));
        Assert.Equal(typeof(B), table.Find(RouteKind.CardAction, "approve"));
        Assert.Null(table.Find(RouteKind.Invoke, "approve"));
    }

    [Fact]
    public void Commands_AreOrderedByAreaThenName_WhenRegisteredInAnyOrder()
    {
        var table = new ActivityRouteTable([
            new ActivityRouteBuilder().OnCommand<A>(Cmd("status", "Escalations")).OnCommand<B>(Cmd("approvals", "Approvals")),
            new ActivityRouteBuilder().OnCommand<A>(Cmd("ack", "Escalations")),
        ]);
        Assert.Equal(["approvals", "ack", "status"], table.Commands.Select(c => c.Name));
    }
}
