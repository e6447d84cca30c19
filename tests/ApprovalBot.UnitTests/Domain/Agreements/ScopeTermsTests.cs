using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.UnitTests.Domain.Agreements;

/// <summary>The parts of the terms product.md §1 lists beyond the basics: additional services, responsibilities, support constraints, a duration.</summary>
public class ScopeTermsTests
{
    [Fact]
    public void AdditionalService_TrimsItsName_AndRefusesANegativePriceOrNoName()
    {
        Assert.Equal(new AdditionalService("On-site visit", 150m), new AdditionalService("  On-site visit ", 150m));
        Assert.Equal(0m, new AdditionalService("Free check-up", 0m).Price);
        Assert.Throws<DomainException>(() => new AdditionalService("On-site visit", -1m));
        Assert.Throws<DomainException>(() => new AdditionalService(" ", 1m));
        Assert.Throws<DomainException>(() => new AdditionalService(new string('x', AdditionalService.MaxNameLength + 1), 1m));
    }

    [Fact]
    public void Responsibilities_KeepEachSidesDuties_Trimmed_AndRefuseDuplicatesBlanksAndTooMany()
    {
        var r = new Responsibilities([" Keep the inventory current "], ["Patch within 14 days", "Replace faulty disks"]);

        Assert.Equal(["Keep the inventory current"], r.Ours);
        Assert.Equal(["Patch within 14 days", "Replace faulty disks"], r.Provider);
        Assert.Empty(new Responsibilities(null, null).Ours);
        Assert.Throws<DomainException>(() => new Responsibilities(["Patch", "PATCH"], []));
        Assert.Throws<DomainException>(() => new Responsibilities([""], []));
        Assert.Throws<DomainException>(() => new Responsibilities([], [new string('x', Responsibilities.MaxItemLength + 1)]));
        Assert.Throws<DomainException>(() => new Responsibilities(Enumerable.Range(0, Responsibilities.MaxItems + 1).Select(i => $"Duty {i}"), []));
    }

    [Fact]
    public void Problems_AskForTheResponsibilitiesOfBothParties()
    {
        var complete = SampleTerms.Complete();

        Assert.Equal(["Responsibilities"], (complete with { Responsibilities = null }).Problems().Select(p => p.Field));
        var oneSided = (complete with { Responsibilities = new Responsibilities([], ["Patch within 14 days"]) }).Problems();
        Assert.Equal("Give at least one responsibility for each party.", Assert.Single(oneSided).Message);
    }

    [Fact]
    public void Problems_AcceptNoAdditionalServicesOrConstraints_ButNotAdditionalServicesWithoutPricing()
    {
        var complete = SampleTerms.Complete();

        Assert.Empty((complete with { AdditionalServices = [], SupportConstraints = [] }).Problems());
        Assert.Equal(["Pricing", "AdditionalServices"], (complete with { Pricing = null }).Problems().Select(p => p.Field));
    }

    [Fact]
    public void Problems_ReportDuplicateOrBlankEntries_InTheLists()
    {
        var complete = SampleTerms.Complete();

        var twice = complete with { AdditionalServices = [new AdditionalService("On-site visit", 1m), new AdditionalService("ON-SITE VISIT", 2m)] };
        Assert.Equal(["AdditionalServices"], twice.Problems().Select(p => p.Field));
        Assert.Equal(["SupportConstraints"], (complete with { SupportConstraints = ["Remote only", " "] }).Problems().Select(p => p.Field));
        Assert.Equal(["SupportConstraints"], (complete with { SupportConstraints = ["Remote only", "remote only"] }).Problems().Select(p => p.Field));
    }

    [Theory]
    [InlineData("2026-02-01", 12, PeriodUnit.Months, "2027-01-31")]
    [InlineData("2026-01-31", 1, PeriodUnit.Months, "2026-02-27")]
    [InlineData("2026-03-01", 2, PeriodUnit.Weeks, "2026-03-14")]
    [InlineData("2028-02-29", 12, PeriodUnit.Months, "2029-02-27")]
    public void ADuration_EndsTheTermTheDayBefore_StartPlusDuration(string start, int count, PeriodUnit unit, string end)
    {
        Assert.Equal(DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture),
            TermDates.EndOf(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), new CalendarPeriod(count, unit)));
    }
}
