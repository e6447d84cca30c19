// TEMPORARY contract stub; replaced by the cards branches. Not committed.
using System.Text.Json.Nodes;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Teams.Cards;
namespace ApprovalBot.Approvals.Cards;

    public static class ApprovalVerbs { public const string Approve = "approval.approve", Reject = "approval.reject", RequestChanges = "approval.requestChanges", Delegate = "approval.delegate", Refresh = "approval.refresh", Open = "approval.open", Resubmit = "approval.resubmit"; }
    public sealed record ApprovalCardContext(ApprovalRequest Request, PersonId? Viewer, Func<PersonId, string> NameOf, TimeZoneInfo TimeZone, DateTimeOffset Now, IReadOnlyList<string> RefreshUserIds, string? SubjectLabel = null, string? Error = null, string? Notice = null, string? CommentDraft = null);
    public sealed record ApprovalListItem(long RequestId, string Title, string StageName, int StageNumber, int StageCount, DateTimeOffset DueAt, bool Overdue, string RequesterName);
    public sealed class ApprovalCards(CardRenderer renderer)
    {
        public JsonObject Render(ApprovalCardContext context) => renderer.Render(CardTemplates.Notice, new NoticeCardData(context.Request.Title, context.Error ?? context.Notice));
        public JsonObject RenderList(string title, IReadOnlyList<ApprovalListItem> items, int more, TimeZoneInfo timeZone) => renderer.Render(CardTemplates.Notice, new NoticeCardData(title));
    }
