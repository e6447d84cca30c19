// TEMPORARY contract stub; replaced by the cards branches. Not committed.
using System.Text.Json.Nodes;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Teams.Cards;
namespace ApprovalBot.Approvals.Cards
{
    public static class ApprovalVerbs { public const string Approve = "approval.approve", Reject = "approval.reject", RequestChanges = "approval.requestChanges", Delegate = "approval.delegate", Refresh = "approval.refresh", Open = "approval.open", Resubmit = "approval.resubmit"; }
    public sealed record ApprovalCardContext(ApprovalRequest Request, PersonId? Viewer, Func<PersonId, string> NameOf, TimeZoneInfo TimeZone, DateTimeOffset Now, IReadOnlyList<string> RefreshUserIds, string? SubjectLabel = null, string? Error = null, string? Notice = null, string? CommentDraft = null);
    public sealed record ApprovalListItem(long RequestId, string Title, string StageName, int StageNumber, int StageCount, DateTimeOffset DueAt, bool Overdue, string RequesterName);
    public sealed class ApprovalCards(CardRenderer renderer)
    {
        public JsonObject Render(ApprovalCardContext context) => renderer.Render(CardTemplates.Notice, new NoticeCardData(context.Request.Title, context.Error ?? context.Notice));
        public JsonObject RenderList(string title, IReadOnlyList<ApprovalListItem> items, int more, TimeZoneInfo timeZone) => renderer.Render(CardTemplates.Notice, new NoticeCardData(title));
    }
    public static class RequestFormVerbs { public const string Submit = "approval.submit"; }
    public sealed record RequestFormValues(string? Title, string? Details, string? LinkTitle, string? Link, string? Flow, string? Approvers, string? Rule);
    public static class RequestForm
    {
        public static RequestFormValues Parse(System.Text.Json.JsonElement? actionData) => new(null, null, null, null, null, null, null);
        public static IReadOnlyDictionary<string, string> Validate(RequestFormValues values, IReadOnlyList<string> flowNames) => new Dictionary<string, string>();
        public static IReadOnlyList<string> ApproverAddresses(RequestFormValues values) => [];
    }
    public sealed class RequestFormCards(CardRenderer renderer)
    {
        public JsonObject Render(IReadOnlyList<string> flowNames, RequestFormValues? values = null, IReadOnlyDictionary<string, string>? errors = null, string? error = null) => renderer.Render(CardTemplates.Notice, new NoticeCardData("form"));
    }
}
namespace ApprovalBot.Agreements.Cards
{
    using ApprovalBot.Domain.Agreements;
    public static class AgreementVerbs { public const string Create = "agreement.create", Revise = "agreement.revise", Submit = "agreement.submit", Edit = "agreement.edit", Show = "agreement.show"; }
    public sealed record AgreementFormValues(string? Name, string? Provider, string? Services, string? OtherServices, string? Coverage, string? StartDate, string? EndDate, string? Pricing, string? Amount, string? Currency, string? Oversight);
    public static class AgreementForm
    {
        public static AgreementFormValues Parse(System.Text.Json.JsonElement? actionData) => new(null, null, null, null, null, null, null, null, null, null, null);
        public static AgreementFormValues FromTerms(string name, AgreementTerms terms, Func<PersonId, string?> emailOf) => Parse(null);
        public static IReadOnlyDictionary<string, string> Validate(AgreementFormValues values) => new Dictionary<string, string>();
        public static IReadOnlyList<string> OversightAddresses(AgreementFormValues values) => [];
        public static AgreementTerms Apply(AgreementFormValues values, AgreementTerms baseTerms, IReadOnlyList<PersonId> oversightOwners) => baseTerms;
    }
    public sealed record AgreementCardContext(Agreement Agreement, Func<PersonId, string> NameOf, bool CanSubmit, bool CanEdit, long? ApprovalRequestId, string? Error = null, string? Notice = null);
    public sealed class AgreementCards(CardRenderer renderer)
    {
        public JsonObject RenderForm(AgreementFormValues? values = null, IReadOnlyDictionary<string, string>? errors = null, string? error = null, long? agreementId = null, int? revision = null) => renderer.Render(CardTemplates.Notice, new NoticeCardData("form"));
        public JsonObject Render(AgreementCardContext context) => renderer.Render(CardTemplates.Notice, new NoticeCardData(context.Agreement.Name));
    }
}
