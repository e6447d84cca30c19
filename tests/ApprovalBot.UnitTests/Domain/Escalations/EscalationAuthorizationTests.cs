using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using static ApprovalBot.UnitTests.Domain.Escalations.EscalationSamples;

namespace ApprovalBot.UnitTests.Domain.Escalations;

/// <summary>Who may act: the current level's contacts (people, or channel members as the host vouches), the assignee and the reporter.</summary>
public class EscalationAuthorizationTests
{
    [Fact]
    public void MayAct_IsTrueForTheReporterAndTheAssignee_AndFalseForOthers()
    {
        var escalation = Open();
        escalation.Assign(Reporter, Agent, Mon(9, 1));

        Assert.True(escalation.MayAct(Reporter));
        Assert.True(escalation.MayAct(Agent));
        Assert.False(escalation.MayAct(Outsider));
        Assert.False(escalation.MayAct(People.Leo)); // L2, not the current level
    }

    [Fact]
    public void EnsureMayAct_AcceptsMembersOfTheLevelsChannel()
    {
        var escalation = Open();

        escalation.EnsureMayAct(People.Lou, actorIsInLevelChannel: true);
        var entry = escalation.Acknowledge(EscalationActor.InChannel(People.Lou), Mon(9, 5));

        Assert.Equal(People.Lou, entry.Actor);
    }

    [Fact]
    public void Acknowledge_IsForbidden_ForSomeoneOutsideTheLevel_AndChangesNothing()
    {
        var escalation = Open();

        var error = Assert.Throws<DomainException>(() => escalation.Acknowledge(Outsider, Mon(9, 5)));

        Assert.Equal("escalation.forbidden", error.Code);
        Assert.Equal("You may not act on escalation 'Mail server down': only members of the L1 channel or the reporter may.", error.Message);
        Assert.Equal(EscalationState.Open, escalation.State);
        Assert.Equal(1, escalation.Version);
        Assert.Single(escalation.Timeline);
    }

    [Fact]
    public void PeopleOfTheNewLevel_MayAct_OnceTheLevelIsRaised_AndTheOldChannelMayNot()
    {
        var escalation = Open();
        AssertCode("escalation.forbidden", () => escalation.Acknowledge(People.Leo, Mon(9, 5)));

        escalation.FireDue(escalation.Version, Mon(10));

        AssertCode("escalation.forbidden", () => escalation.Hold(L1Member, "Waiting", Mon(10, 5))); // L2 has no channel
        escalation.Acknowledge(People.Leo, Mon(10, 10));
        Assert.Equal(People.Leo, escalation.AcknowledgedBy);
    }

    [Fact]
    public void TheAssignee_MayAct_AndSoMayTheReporter()
    {
        var escalation = Open();
        escalation.Assign(Reporter, Agent, Mon(9, 1));

        escalation.Acknowledge(Agent, Mon(9, 2));
        escalation.Resolve(Agent, "Replaced the disk", Mon(9, 3));
        escalation.Close(Reporter, Mon(9, 4));

        Assert.Equal(EscalationState.Closed, escalation.State);
    }

    [Theory]
    [InlineData("assign")]
    [InlineData("hold")]
    [InlineData("escalate")]
    [InlineData("resolve")]
    public void EveryAction_IsForbidden_ForAnOutsider(string action)
    {
        var escalation = Open();

        AssertCode("escalation.forbidden", () =>
        {
            switch (action)
            {
                case "assign": escalation.Assign(Outsider, Outsider, Mon(9, 5)); break;
                case "hold": escalation.Hold(Outsider, "Because", Mon(9, 5)); break;
                case "escalate": escalation.EscalateManually(Outsider, "Because", Mon(9, 5)); break;
                default: escalation.Resolve(Outsider, "Because", Mon(9, 5)); break;
            }
        });
        Assert.Equal(1, escalation.Version);
    }

    [Fact]
    public void ReopenAndClose_AreForbidden_ForAnOutsider()
    {
        var escalation = Open();
        escalation.Resolve(Reporter, "Fixed", Mon(9, 5));
        AssertCode("escalation.forbidden", () => escalation.Close(Outsider, Mon(9, 6)));
        escalation.Close(Reporter, Mon(9, 6));

        AssertCode("escalation.forbidden", () => escalation.Reopen(Outsider, "Broken", Mon(9, 7)));
        Assert.Equal(EscalationState.Closed, escalation.State);
    }
}
