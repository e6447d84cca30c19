namespace ApprovalBot.Domain.Approvals;

/// <summary>
/// What the card the person clicked was showing: the request's revision and the stage number (1-based). A click
/// whose revision or stage is not the current one is stale and is refused (the host answers with the current card).
/// The request's <see cref="ApprovalRequest.Version"/> is deliberately not compared here: under All or N of M the
/// version moves with every other approver's decision, and those do not make this approver's question stale.
/// Version is the optimistic concurrency token on save and the timers' fencing token.
/// </summary>
public readonly record struct CardState(int Revision, int StageNumber);
