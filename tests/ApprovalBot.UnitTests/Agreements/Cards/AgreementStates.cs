using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.UnitTests.Domain.Approvals;
using static ApprovalBot.UnitTests.Domain.Approvals.Requests;

namespace ApprovalBot.UnitTests.Agreements.Cards;

/// <summary>Agreements in each status, driven there through the domain's own methods (no state is assigned).</summary>
internal static class AgreementStates
{
    public const long Id = 42;

    public static readonly IReadOnlyDictionary<PersonId, string> Names = new Dictionary<PersonId, string>
    {
        [People.Alice] = "Alice Requester",
        [People.Bob] = "Bob Manager",
        [People.Carol] = "Carol Director",
        [People.Lena] = "Lena Legal",
        [People.Leo] = "Leo Legal",
        [People.Mia] = "Mia Management",
        [People.Max] = "Max Management",
    };

    public static string NameOf(PersonId person) => Names.TryGetValue(person, out var name) ? name : person.Value;

    public static string? EmailOf(PersonId person) => Names.ContainsKey(person) ? person.Value + "@contoso.example" : null;

    public static Agreement Draft(AgreementTerms? terms = null) =>
        WithId(Agreement.CreateDraft("Contoso support 2026", terms ?? SampleTerms.Complete(), People.Alice, Monday10));

    public static async Task<(Agreement Agreement, ApprovalRequest Request)> InApprovalAsync()
    {
        var agreement = Draft();
        var request = await SubmitAsync(agreement);
        return (agreement, request);
    }

    /// <summary>Bob asked for changes on revision 1.</summary>
    public static async Task<(Agreement Agreement, ApprovalRequest Request)> ChangesRequestedAsync(string comment = "Add the warranty terms")
    {
        var (agreement, request) = await InApprovalAsync();
        request.AskForChanges(People.Bob, comment).ThrowIfRefused();
        agreement.ApplyApprovalOutcome(request, Monday10.AddHours(1));
        return (agreement, request);
    }

    /// <summary>Bob rejected revision 1.</summary>
    public static async Task<(Agreement Agreement, ApprovalRequest Request)> RejectedAsync()
    {
        var (agreement, request) = await InApprovalAsync();
        request.RejectNow(People.Bob, "Too expensive").ThrowIfRefused();
        agreement.ApplyApprovalOutcome(request, Monday10.AddHours(1));
        return (agreement, request);
    }

    /// <summary>Revision 1 was sent back; revision 2 was resubmitted and signed off by all three stages.</summary>
    public static async Task<(Agreement Agreement, ApprovalRequest Request)> ActiveAsync()
    {
        var (agreement, request) = await ChangesRequestedAsync();
        agreement.Revise(SampleTerms.Complete() with { ProviderName = "Contoso IT Services Ltd" }, People.Alice, Monday10.AddHours(2));
        await AgreementApproval.ResubmitAsync(agreement, request, People.Alice, "Warranty added", null, FakeDirectory.Standard(), AroundTheClockCalendar.Instance, Monday10.AddHours(3));
        foreach (var approver in new[] { People.Bob, People.Lena, People.Mia })
        {
            (await request.ApproveAsync(approver, request.CurrentCard, approver == People.Mia ? "Signed" : null, FakeDirectory.Standard(), AroundTheClockCalendar.Instance, Monday10.AddHours(4))).ThrowIfRefused();
            agreement.ApplyApprovalOutcome(request, Monday10.AddHours(4));
        }

        return (agreement, request);
    }

    private static Task<ApprovalRequest> SubmitAsync(Agreement agreement) =>
        AgreementApproval.SubmitAsync(agreement, BuiltInFlows.Agreement(), People.Alice, null, FakeDirectory.Standard(), AroundTheClockCalendar.Instance, Monday10.AddMinutes(5));

    /// <summary>Gives the agreement the id storage would (the cards carry it in their buttons).</summary>
    private static Agreement WithId(Agreement agreement)
    {
        typeof(Agreement).GetProperty(nameof(Agreement.Id))!.SetValue(agreement, Id);
        return agreement;
    }
}
