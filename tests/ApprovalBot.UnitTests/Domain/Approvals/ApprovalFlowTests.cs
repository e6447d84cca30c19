using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using static ApprovalBot.UnitTests.Domain.Approvals.Requests;

namespace ApprovalBot.UnitTests.Domain.Approvals;

public class ApprovalFlowTests
{
    [Fact]
    public void AgreementFlow_IsManagerThenLegalThenManagement_EachAnyOne()
    {
        var flow = BuiltInFlows.Agreement();

        Assert.Equal(["Department manager", "Legal", "Management"], flow.Stages.Select(s => s.Name));
        Assert.Equal(ApproverRuleKind.RequesterManager, flow.Stages[0].Approvers.Kind);
        Assert.Equal(ApproverRule.Group("Legal"), flow.Stages[1].Approvers);
        Assert.Equal(ApproverRule.Group("Management"), flow.Stages[2].Approvers);
        Assert.All(flow.Stages, s => Assert.Equal(DecisionRuleKind.Any, s.Decision.Kind));
        Assert.All(flow.Stages, s => Assert.Equal(EscalationTargetKind.ApproversManager, s.EscalateTo.Kind));
        Assert.Equal(["Preliminary draft", "Compliance review of the final contract", "Final sign-off"], flow.Stages.Select(s => s.Description));
    }

    [Fact]
    public void Create_Throws_WhenThereAreNoStages()
    {
        var error = Assert.Throws<DomainException>(() => ApprovalFlow.Create("empty", []));
        Assert.Equal("flow.invalid", error.Code);
    }

    [Fact]
    public void Create_Throws_WhenStageNamesRepeat()
    {
        Assert.Throws<DomainException>(() => Flow(Stage("Legal", ApproverRule.Group("Legal")), Stage("legal", ApproverRule.Group("Legal"))));
    }

    [Fact]
    public void Create_Throws_WhenThereAreMoreThanTenStages()
    {
        var stages = Enumerable.Range(1, 11).Select(i => Stage($"S{i}", ApproverRule.RequesterManager())).ToArray();
        Assert.Throws<DomainException>(() => Flow(stages));
    }

    [Fact]
    public void Stage_Throws_WhenSlaIsNotPositive()
    {
        Assert.Throws<DomainException>(() => Stage("S", ApproverRule.RequesterManager(), sla: TimeSpan.Zero));
    }

    [Fact]
    public void Stage_Throws_WhenRemindersAreNotBeforeTheSla()
    {
        Assert.Throws<DomainException>(() => Stage("S", ApproverRule.RequesterManager(), sla: TimeSpan.FromHours(8), reminderEvery: TimeSpan.FromHours(8)));
        Assert.Throws<DomainException>(() => Stage("S", ApproverRule.RequesterManager(), sla: TimeSpan.FromHours(8), reminderEvery: TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void Stage_Throws_WhenNOfMCanNeverBeReached()
    {
        Assert.Throws<DomainException>(() => Stage("S", ApproverRule.People(People.Lena, People.Leo), DecisionRule.NOfM(3)));
        Assert.Throws<DomainException>(() => Stage("S", ApproverRule.RequesterManager(), DecisionRule.NOfM(2)));
        Assert.Throws<DomainException>(() => DecisionRule.NOfM(0));
    }

    [Fact]
    public void People_Throws_WhenEmptyOrRepeated()
    {
        Assert.Throws<DomainException>(() => ApproverRule.People());
        Assert.Throws<DomainException>(() => ApproverRule.People(People.Lena, new PersonId("LENA")));
    }

    [Theory]
    [InlineData("http://example.com/a.pdf")]
    [InlineData("/relative/a.pdf")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://user:secret@example.com/a.pdf")]
    [InlineData("")]
    public void RequestLink_Throws_WhenNotACleanAbsoluteHttpsUrl(string url)
    {
        Assert.Throws<DomainException>(() => new RequestLink("Contract", url));
    }

    [Fact]
    public void RequestLink_KeepsTitleAndUrl_WhenHttps()
    {
        var link = new RequestLink(" Contract ", "https://contoso.sharepoint.com/sites/it/contract.docx");
        Assert.Equal("Contract", link.Title);
        Assert.Equal("https://contoso.sharepoint.com/sites/it/contract.docx", link.Url);
    }

    [Theory]
    [InlineData(DecisionRuleKind.Any, 0, 3, 1, 0, StageOutcome.Approved)]
    [InlineData(DecisionRuleKind.Any, 0, 3, 0, 1, StageOutcome.Rejected)]
    [InlineData(DecisionRuleKind.Any, 0, 3, 0, 0, StageOutcome.Pending)]
    [InlineData(DecisionRuleKind.All, 0, 3, 2, 0, StageOutcome.Pending)]
    [InlineData(DecisionRuleKind.All, 0, 3, 3, 0, StageOutcome.Approved)]
    [InlineData(DecisionRuleKind.All, 0, 3, 2, 1, StageOutcome.Rejected)]
    [InlineData(DecisionRuleKind.NOfM, 2, 4, 1, 2, StageOutcome.Pending)]
    [InlineData(DecisionRuleKind.NOfM, 2, 4, 2, 2, StageOutcome.Approved)]
    [InlineData(DecisionRuleKind.NOfM, 2, 4, 1, 3, StageOutcome.Rejected)]
    [InlineData(DecisionRuleKind.NOfM, 2, 4, 0, 2, StageOutcome.Pending)]
    public void Evaluate_FollowsTheRule(DecisionRuleKind kind, int n, int approvers, int approvals, int rejections, StageOutcome expected)
    {
        var rule = kind switch { DecisionRuleKind.Any => DecisionRule.Any, DecisionRuleKind.All => DecisionRule.All, _ => DecisionRule.NOfM(n) };
        Assert.Equal(expected, rule.Evaluate(approvers, approvals, rejections, changesRequested: false));
    }

    [Fact]
    public void Evaluate_ChangesRequestedWins_UnderEveryRule()
    {
        Assert.All([DecisionRule.Any, DecisionRule.All, DecisionRule.NOfM(2)], rule =>
            Assert.Equal(StageOutcome.ChangesRequested, rule.Evaluate(3, 2, 0, changesRequested: true)));
    }
}
