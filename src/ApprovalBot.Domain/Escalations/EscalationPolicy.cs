using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Escalations;

/// <summary>
/// What an escalation follows, copied from the agreement when it opens (architecture rule 9): the priority's targets,
/// the calendar they are counted on, who is told at each level and who oversees the agreement. Revising, renewing or
/// ending the agreement later never moves an open escalation's deadlines or changes whom it notifies.
/// </summary>
/// <remarks>Equality is by value, lists included (same entries in the same order), like <see cref="BusinessCalendarDefinition"/>.</remarks>
public sealed record EscalationPolicy
{
    /// <summary>How long after its resolution an escalation may be reopened, unless the policy says otherwise.</summary>
    public static readonly TimeSpan DefaultReopenWindow = TimeSpan.FromDays(7);

    /// <summary>Builds and validates a policy; <see cref="From"/> is the usual way to get one.</summary>
    public EscalationPolicy(
        long agreementId,
        string agreementName,
        int agreementRevision,
        Priority priority,
        TimeSpan responseTarget,
        TimeSpan resolutionTarget,
        BusinessCalendarDefinition calendar,
        IEnumerable<EscalationLevel> levels,
        IEnumerable<PersonId> oversightOwners,
        TimeSpan reopenWindow)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        Guard.That(Enum.IsDefined(priority), "escalation.invalid_policy", "Unknown priority.");
        Guard.That(responseTarget > TimeSpan.Zero, "escalation.invalid_policy", "The response target must be positive.");
        Guard.That(resolutionTarget >= responseTarget, "escalation.invalid_policy", "The resolution target cannot be shorter than the response target.");
        Guard.That(reopenWindow > TimeSpan.Zero, "escalation.invalid_policy", "The reopen window must be positive.");
        var calendarProblems = calendar.Validate();
        Guard.That(calendarProblems.Count == 0, "escalation.invalid_policy", "The business calendar is not usable: " + string.Join(" ", calendarProblems));
        var levelList = (levels ?? []).ToList();
        Guard.That(levelList.TrueForAll(l => l is not null) && levelList.Select(l => l.Level).Order().SequenceEqual(Enum.GetValues<SupportLevel>()),
            "escalation.invalid_policy", "Give contacts for each level L1, L2 and L3.");
        var owners = Guard.DistinctList(oversightOwners, "The oversight owners");
        Guard.That(owners.Count > 0, "escalation.invalid_policy", "Name at least one oversight owner.");

        AgreementId = agreementId;
        AgreementName = Guard.RequiredText(agreementName, "The agreement's name", Agreement.MaxNameLength);
        AgreementRevision = agreementRevision;
        Priority = priority;
        ResponseTarget = responseTarget;
        ResolutionTarget = resolutionTarget;
        Calendar = calendar with { WorkingHours = [.. calendar.WorkingHours ?? []], Holidays = [.. calendar.Holidays ?? []] };
        Levels = [.. levelList.OrderBy(l => l.Level)];
        OversightOwners = owners;
        ReopenWindow = reopenWindow;
    }

    public long AgreementId { get; }

    public string AgreementName { get; }

    /// <summary>The agreement revision whose terms were in force when the escalation opened.</summary>
    public int AgreementRevision { get; }

    public Priority Priority { get; }

    /// <summary>Business time each level has to acknowledge, counted from when that level was notified.</summary>
    public TimeSpan ResponseTarget { get; }

    /// <summary>Business time from opening to resolution (holds and resolved stretches not counted).</summary>
    public TimeSpan ResolutionTarget { get; }

    /// <summary>The calendar both clocks run on: the agreement's, or 24×7 in its time zone for an around-the-clock priority.</summary>
    public BusinessCalendarDefinition Calendar { get; }

    /// <summary>L1, L2 and L3, in that order, with their contacts (people and/or a channel) and descriptions.</summary>
    public IReadOnlyList<EscalationLevel> Levels { get; }

    /// <summary>Told, with L3, when a target is breached.</summary>
    public IReadOnlyList<PersonId> OversightOwners { get; }

    /// <summary>Wall-clock time after resolution during which the escalation can be reopened.</summary>
    public TimeSpan ReopenWindow { get; }

    /// <summary>The contacts and description of <paramref name="level"/>.</summary>
    public EscalationLevel For(SupportLevel level) => Levels.Single(l => l.Level == level);

    /// <summary>
    /// Snapshots what an escalation of <paramref name="priority"/> against <paramref name="agreement"/> follows. Only an
    /// Active agreement has terms in force; anything else throws <see cref="DomainException"/> with code
    /// <c>escalation.agreement_not_active</c>. The reopen window defaults to <see cref="DefaultReopenWindow"/>.
    /// </summary>
    public static EscalationPolicy From(Agreement agreement, Priority priority, TimeSpan? reopenWindow = null)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        if (agreement.TermsInForce is not { } terms)
            throw new DomainException("escalation.agreement_not_active", agreement.Status is AgreementStatus.Expired or AgreementStatus.Terminated
                ? $"Agreement '{agreement.Name}' {agreement.EndedDescription(TimeZoneInfo.Utc)}; new escalations against it are refused (open ones run to closure)."
                : $"Agreement '{agreement.Name}' is {agreement.Status}; escalations are opened only against an active agreement.");
        Guard.That(Enum.IsDefined(priority), "escalation.invalid_policy", "Unknown priority.");
        if (terms.ServiceLevels is not { } serviceLevels || terms.Escalation is not { } procedure || terms.BusinessCalendar is not { } calendar)
            throw new DomainException("escalation.invalid_policy", $"Agreement '{agreement.Name}' has no service levels, escalation procedure or business calendar.");

        var target = serviceLevels.For(priority);
        var clock = target.AroundTheClock ? new BusinessCalendarDefinition { TimeZoneId = calendar.TimeZoneId, TwentyFourSeven = true } : calendar;
        return new EscalationPolicy(
            agreement.Id,
            agreement.Name,
            agreement.ActiveRevisionNumber ?? agreement.CurrentRevision.Number,
            priority,
            target.Response,
            target.Resolution,
            clock,
            procedure.Levels,
            terms.OversightOwners,
            reopenWindow ?? DefaultReopenWindow);
    }

    /// <inheritdoc/>
    public bool Equals(EscalationPolicy? other) =>
        other is not null
        && AgreementId == other.AgreementId
        && string.Equals(AgreementName, other.AgreementName, StringComparison.Ordinal)
        && AgreementRevision == other.AgreementRevision
        && Priority == other.Priority
        && ResponseTarget == other.ResponseTarget
        && ResolutionTarget == other.ResolutionTarget
        && Calendar.Equals(other.Calendar)
        && Levels.Count == other.Levels.Count
        && Levels.Zip(other.Levels).All(pair => SameLevel(pair.First, pair.Second))
        && OversightOwners.SequenceEqual(other.OversightOwners)
        && ReopenWindow == other.ReopenWindow;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(AgreementId, AgreementRevision, Priority, ResponseTarget, ResolutionTarget, Calendar, ReopenWindow);

    private static bool SameLevel(EscalationLevel a, EscalationLevel b) =>
        a.Level == b.Level
        && string.Equals(a.Description, b.Description, StringComparison.Ordinal)
        && string.Equals(a.Contacts.ChannelId, b.Contacts.ChannelId, StringComparison.Ordinal)
        && a.Contacts.People.SequenceEqual(b.Contacts.People);
}
