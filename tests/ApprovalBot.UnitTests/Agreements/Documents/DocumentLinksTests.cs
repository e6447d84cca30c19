using System.Web;
using ApprovalBot.Agreements.Documents;
using ApprovalBot.TestSupport;
using Microsoft.Extensions.Options;

namespace ApprovalBot.UnitTests.Agreements.Documents;

public sealed class DocumentLinksTests
{
    private const string Sha = "3f5a9c0d17be42aa3f5a9c0d17be42aa3f5a9c0d17be42aa3f5a9c0d17be42aa";
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));

    private DocumentLinks Links(string? key = null, string? baseUrl = "https://bot.example/") =>
        new(Options.Create(new DocumentsOptions { PublicBaseUrl = baseUrl, LinkSigningKey = key ?? Key, LinkLifetime = TimeSpan.FromHours(1) }), _clock);

    private static (long Id, string Sha, long Expires, string Sig) Parse(string url)
    {
        var uri = new Uri(url);
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var query = HttpUtility.ParseQueryString(uri.Query);
        return (long.Parse(segments[1], System.Globalization.CultureInfo.InvariantCulture), segments[2], long.Parse(query["expires"]!, System.Globalization.CultureInfo.InvariantCulture), query["sig"]!);
    }

    [Fact]
    public void For_MakesAnAbsoluteLink_UnderThePublicAddress_ThatChecksValid()
    {
        var url = Links().For(7, Sha)!;
        Assert.StartsWith("https://bot.example/documents/7/" + Sha + "?expires=", url, StringComparison.Ordinal);
        var (id, sha, expires, sig) = Parse(url);
        Assert.Equal(LinkCheck.Valid, Links().Check(id, sha, expires, sig));
    }

    [Fact]
    public void Check_SaysExpired_OnceTheLifetimeHasPassed()
    {
        var (id, sha, expires, sig) = Parse(Links().For(7, Sha)!);
        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(LinkCheck.Valid, Links().Check(id, sha, expires, sig));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(LinkCheck.Expired, Links().Check(id, sha, expires, sig));
    }

    [Fact]
    public void Check_RefusesATamperedLink_WhateverPartChanged()
    {
        var links = Links();
        var (id, sha, expires, sig) = Parse(links.For(7, Sha)!);
        Assert.Equal(LinkCheck.Invalid, links.Check(8, sha, expires, sig));                                  // another agreement
        Assert.Equal(LinkCheck.Invalid, links.Check(id, "0" + sha[1..], expires, sig));                     // another document
        Assert.Equal(LinkCheck.Invalid, links.Check(id, sha, expires + 86400, sig));                        // a later expiry
        Assert.Equal(LinkCheck.Invalid, links.Check(id, sha, expires, sig[..^1] + (sig[^1] == 'A' ? 'B' : 'A'))); // the signature
        Assert.Equal(LinkCheck.Invalid, links.Check(id, sha, expires, null));
        var otherKey = Convert.ToBase64String(Enumerable.Range(2, 32).Select(i => (byte)i).ToArray());
        Assert.Equal(LinkCheck.Invalid, Links(otherKey).Check(id, sha, expires, sig));                      // signed with another key
    }

    [Fact]
    public void For_GivesNoLink_WithoutAPublicAddress()
    {
        Assert.Null(Links(baseUrl: null).For(7, Sha));
        Assert.False(Links(baseUrl: null).Enabled);
    }

    [Theory]
    [InlineData("contoso.sharepoint.com", "https://contoso.sharepoint.com/x", true)]
    [InlineData("*.sharepoint.com", "https://contoso-my.sharepoint.com/x", true)]
    [InlineData("*.sharepoint.com", "https://sharepoint.com/x", false)]
    [InlineData("*.sharepoint.com", "https://evil-sharepoint.com/x", false)]
    [InlineData("*.sharepoint.com", "https://contoso.sharepoint.com.evil.example/x", false)]
    [InlineData("127.0.0.1:5000", "http://127.0.0.1:5000/x", true)]
    [InlineData("127.0.0.1:5000", "http://127.0.0.1:5001/x", false)]
    public void HostPattern_MatchesOnlyTheHostsItNames(string pattern, string url, bool matches) =>
        Assert.Equal(matches, HostPattern.Matches(pattern, new Uri(url)));
}
