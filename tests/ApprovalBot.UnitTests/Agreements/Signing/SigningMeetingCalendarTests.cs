using ApprovalBot.Agreements.Signing;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;

namespace ApprovalBot.UnitTests.Agreements.Signing;

/// <summary>What the person who scheduled a signing meeting is told when Graph refuses, and how failed calls are spaced.</summary>
public class SigningMeetingCalendarTests
{
    [Fact]
    public void Describe_NamesThePermissionAndTheAccessPolicy_WhenGraphRefuses()
    {
        var refused = new ODataError { ResponseStatusCode = 403, Error = new MainError { Code = "ErrorAccessDenied" } };

        var why = SigningMeetingCalendar.Describe(refused, 3);

        Assert.Contains("HTTP 403 ErrorAccessDenied", why, StringComparison.Ordinal);
        Assert.Contains("Calendars.ReadWrite", why, StringComparison.Ordinal);
        Assert.Contains("application access policy", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_SaysGraphWasUnavailable_ThroughItsRetries_AndLetsABugThrough()
    {
        Assert.Equal("Graph was unavailable (HTTP 503) through 3 retries", SigningMeetingCalendar.Describe(new ApiException { ResponseStatusCode = 503 }, 3));
        Assert.Equal("Graph was unavailable (HTTP 503) through 3 retries",
            SigningMeetingCalendar.Describe(new AggregateException(new ApiException { ResponseStatusCode = 503 }, new ApiException { ResponseStatusCode = 503 }), 3));
        Assert.Null(SigningMeetingCalendar.Describe(new InvalidOperationException("a bug"), 3));
    }

    [Fact]
    public void RetryDelay_DoublesPerFailure_UpToTheMaximum()
    {
        var options = new SigningMeetingOptions { CalendarRetryDelay = TimeSpan.FromMinutes(1), CalendarMaxRetryDelay = TimeSpan.FromMinutes(10) };

        int[] failures = [1, 2, 3, 4, 5, 12];

        Assert.Equal([1, 2, 4, 8, 10, 10], failures.Select(n => (int)options.RetryDelay(n).TotalMinutes));
    }
}
