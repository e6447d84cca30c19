using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.UnitTests.Domain.Approvals;
using ApprovalBot.UnitTests.Domain.Calendars;

namespace ApprovalBot.UnitTests.Domain.Escalations;

/// <summary>
/// Escalations against <see cref="SampleTerms.Complete"/>: Berlin, Monday to Friday 09:00–17:00; P1 15 min / 4 h around
/// the clock, P2 1 h / 8 h, P3 4 h / 2 d; L1 is a channel, L2 is Leo, L3 is Mia and a channel; Alice and Carol oversee.
/// </summary>
internal static class EscalationSamples
{
    public const string L1Channel = "19:l1-channel@thread.tacv2";
    public const string L3Channel = "19:mgmt@thread.tacv2";

    public static readonly PersonId Reporter = People.Bob;
    public static readonly PersonId Outsider = People.Zed;
    public static readonly PersonId Agent = People.Dan;

    /// <summary>Lou, whom the host found in the L1 channel.</summary>
    public static readonly EscalationActor L1Member = EscalationActor.InChannel(People.Lou);

    /// <summary>Monday 5 January 2026, 09:00 in Berlin (08:00 UTC).</summary>
    public static readonly DateTimeOffset Monday9 = Wall.At(Wall.Berlin, 2026, 1, 5, 9);

    public static readonly BusinessCalendar Berlin9To5 = BusinessCalendar.WeekdaysNineToFive(Wall.Berlin);

    /// <summary>Monday 5 January 2026 in Berlin at <paramref name="hour"/>:<paramref name="minute"/>, plus <paramref name="days"/>.</summary>
    public static DateTimeOffset Mon(int hour, int minute = 0, int days = 0) => Wall.At(Wall.Berlin, 2026, 1, 5 + days, hour, minute);

    /// <summary>An agreement signed off through the real approval flow (manager, Legal, Management).</summary>
    public static Agreement ActiveAgreement(AgreementTerms? terms = null)
    {
        var directory = FakeDirectory.Standard();
        var agreement = Agreement.CreateDraft("Contoso support 2026", terms ?? SampleTerms.Complete(), People.Alice, Monday9.AddDays(-30));
        var request = AgreementApproval.SubmitAsync(agreement, BuiltInFlows.Agreement(), People.Alice, null, directory, AroundTheClockCalendar.Instance, Monday9.AddDays(-29))
            .GetAwaiter().GetResult();
        foreach (var approver in new[] { People.Bob, People.Lena, People.Mia })
        {
            request.ApproveAsync(approver, request.CurrentCard, null, directory, AroundTheClockCalendar.Instance, Monday9.AddDays(-28)).GetAwaiter().GetResult().ThrowIfRefused();
            agreement.ApplyApprovalOutcome(request, Monday9.AddDays(-28));
        }

        return agreement.Status == AgreementStatus.Active ? agreement : throw new InvalidOperationException("The sample agreement did not become active.");
    }

    public static EscalationPolicy Policy(Priority priority = Priority.P2, AgreementTerms? terms = null, TimeSpan? reopenWindow = null) =>
        EscalationPolicy.From(ActiveAgreement(terms), priority, reopenWindow);

    public static Escalation Open(Priority priority = Priority.P2, DateTimeOffset? at = null, AgreementTerms? terms = null, TimeSpan? reopenWindow = null) =>
        Escalation.Open(Policy(priority, terms, reopenWindow), "Mail server down", "Nobody in Berlin receives e-mail.", Reporter, at ?? Monday9);

    public static AgreementTerms WithCalendar(BusinessCalendar calendar) => SampleTerms.Complete() with { BusinessCalendar = calendar.Definition };

    public static void AssertCode(string code, Action action)
    {
        var error = Assert.Throws<DomainException>(action);
        Assert.Equal(code, error.Code);
    }

    public static string[] Ids(IEnumerable<PersonId> people) => [.. people.Select(p => p.Value).Order(StringComparer.Ordinal)];

    public static TimelineEntry Last(this Escalation escalation) => escalation.Timeline[^1];
}
