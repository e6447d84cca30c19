using ApprovalBot.Agreements.Negotiation;
using ApprovalBot.Domain.Approvals;

namespace ApprovalBot.UnitTests.Agreements;

/// <summary>Where a request goes to the provider, read from its own stage snapshot: the stage after which it does and the stage a change request returns to.</summary>
public class NegotiationOptionsTests
{
    private static readonly IReadOnlyList<StageDefinition> AgreementStages = BuiltInFlows.Agreement().Stages;

    [Fact]
    public void PlanFor_TheAgreementFlow_IsAfterLegal_BackToLegal_ByDefault() =>
        Assert.Equal(new NegotiationPlan(2, 2), new NegotiationOptions().PlanFor(BuiltInFlows.AgreementFlowName, AgreementStages));

    [Fact]
    public void PlanFor_IgnoresCaseAndSpacing_OfFlowAndStageNames()
    {
        var options = new NegotiationOptions();
        options.AfterStage[BuiltInFlows.AgreementFlowName] = "  legal ";
        options.ReturnStage[" it SUPPORT agreement "] = "DEPARTMENT MANAGER";

        Assert.Equal(new NegotiationPlan(2, 1), options.PlanFor("IT Support Agreement", AgreementStages));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("")]
    [InlineData("Management")]   // the last stage: the provider answers before a later stage
    [InlineData("Purchasing")]   // not a stage of this request's flow
    public void PlanFor_IsNone_WhenOffLastOrNotAStage(string stage)
    {
        var options = new NegotiationOptions();
        options.AfterStage[BuiltInFlows.AgreementFlowName] = stage;

        Assert.Null(options.PlanFor(BuiltInFlows.AgreementFlowName, AgreementStages));
    }

    [Fact]
    public void PlanFor_IsNone_ForAFlowNotListed() =>
        Assert.Null(new NegotiationOptions().PlanFor("Purchase", AgreementStages));

    [Fact]
    public void PlanFor_ReturnsToTheNegotiationStage_WhenTheReturnStageComesAfterIt()
    {
        var options = new NegotiationOptions();
        options.AfterStage[BuiltInFlows.AgreementFlowName] = "Department manager";
        options.ReturnStage[BuiltInFlows.AgreementFlowName] = "Legal";   // start-up refuses this; a request's old snapshot may still meet it

        Assert.Equal(new NegotiationPlan(1, 1), options.PlanFor(BuiltInFlows.AgreementFlowName, AgreementStages));
    }
}
