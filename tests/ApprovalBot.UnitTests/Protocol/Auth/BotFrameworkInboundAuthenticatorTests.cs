using System.Text.Json.Nodes;
using ApprovalBot.Protocol.Auth;
using ApprovalBot.TestSupport.Auth;

namespace ApprovalBot.UnitTests.Protocol.Auth;

/// <summary>The channel-token rule matrix (bot-protocol.md §2.2–2.3) through the production authenticator.</summary>
public class BotFrameworkInboundAuthenticatorTests
{
    private sealed record RejectionCase(
        Func<ChannelTokenSpec, ChannelTokenSpec> Token,
        Func<InboundAuthRequest, InboundAuthRequest> Request,
        AuthFailureReason Reason,
        int StatusCode);

    private static RejectionCase TokenCase(Func<ChannelTokenSpec, ChannelTokenSpec> token, AuthFailureReason reason, int status = 401) =>
        new(token, r => r, reason, status);

    private static RejectionCase RequestCase(Func<InboundAuthRequest, InboundAuthRequest> request, AuthFailureReason reason, int status = 401) =>
        new(t => t, request, reason, status);

    private static readonly Dictionary<string, RejectionCase> RejectionCases = new()
    {
        ["no Authorization header"] = RequestCase(r => r with { AuthorizationHeader = null }, AuthFailureReason.MissingAuthorizationHeader),
        ["lower-case bearer scheme"] = RequestCase(r => r with { AuthorizationHeader = "bearer " + r.AuthorizationHeader!["Bearer ".Length..] }, AuthFailureReason.MalformedAuthorizationHeader),
        ["Basic scheme"] = RequestCase(r => r with { AuthorizationHeader = "Basic dXNlcjpwYXNz" }, AuthFailureReason.MalformedAuthorizationHeader),
        ["token is not a JWT"] = RequestCase(r => r with { AuthorizationHeader = "Bearer not-a-jwt" }, AuthFailureReason.MalformedToken),
        ["token segments are not base64url JSON"] = RequestCase(r => r with { AuthorizationHeader = "Bearer a.b.c" }, AuthFailureReason.MalformedToken),
        ["alg none, unsigned"] = TokenCase(t => t with { Algorithm = "none" }, AuthFailureReason.UnsupportedAlgorithm),
        ["HS256 signed with the public key as HMAC secret"] = TokenCase(t => t with { Algorithm = "HS256" }, AuthFailureReason.UnsupportedAlgorithm),
        ["ES256 header"] = TokenCase(t => t with { Algorithm = "ES256" }, AuthFailureReason.UnsupportedAlgorithm),
        ["no kid"] = TokenCase(t => t with { KeyId = "" }, AuthFailureReason.MissingKeyId),
        ["emulator issuer"] = TokenCase(t => t with { Issuer = "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/" }, AuthFailureReason.InvalidIssuer),
        ["issuer with trailing slash"] = TokenCase(t => t with { Issuer = "https://api.botframework.com/" }, AuthFailureReason.InvalidIssuer),
        ["no issuer"] = TokenCase(t => t with { Issuer = null }, AuthFailureReason.InvalidIssuer),
        ["kid never published"] = TokenCase(t => t with { SigningKey = TestSigningKeys.Unpublished }, AuthFailureReason.UnknownSigningKey),
        ["signed by another key than kid names"] = TokenCase(t => t with { SigningKey = TestSigningKeys.Unpublished, KeyId = TestSigningKeys.Teams.KeyId }, AuthFailureReason.InvalidSignature),
        ["tampered signature"] = TokenCase(t => t with { TamperSignature = true }, AuthFailureReason.InvalidSignature),
        ["expired six minutes ago"] = TokenCase(t => t with { NotBeforeIn = TimeSpan.FromHours(-2), ExpiresIn = TimeSpan.FromMinutes(-6) }, AuthFailureReason.TokenExpired),
        ["not valid for six more minutes"] = TokenCase(t => t with { NotBeforeIn = TimeSpan.FromMinutes(6) }, AuthFailureReason.TokenNotYetValid),
        ["no exp"] = TokenCase(t => t with { ExpiresIn = null }, AuthFailureReason.InvalidLifetime),
        ["audience is another app"] = TokenCase(t => t with { Audience = "11111111-2222-3333-4444-555555555555" }, AuthFailureReason.InvalidAudience),
        ["audience is upper-cased app id"] = TokenCase(t => t with { Audience = TestTokenIssuer.DefaultAppId.ToUpperInvariant() }, AuthFailureReason.InvalidAudience),
        ["audience is api.botframework.com (skill-style)"] = TokenCase(t => t with { Audience = "https://api.botframework.com" }, AuthFailureReason.InvalidAudience),
        ["no audience"] = TokenCase(t => t with { Audience = null }, AuthFailureReason.InvalidAudience),
        ["two audiences"] = TokenCase(t => t with { Audiences = [TestTokenIssuer.DefaultAppId, "other"] }, AuthFailureReason.InvalidAudience),
        ["key has no endorsements entry"] = TokenCase(t => t with { SigningKey = TestSigningKeys.Unendorsed }, AuthFailureReason.MissingEndorsements, 403),
        ["key not endorsed for msteams"] = TokenCase(t => t with { SigningKey = TestSigningKeys.SkypeOnly }, AuthFailureReason.ChannelNotEndorsed, 403),
        ["activity channel not endorsed"] = RequestCase(r => r with { ChannelId = "webchat" }, AuthFailureReason.ChannelNotEndorsed, 403),
        ["activity has no channel id"] = RequestCase(r => r with { ChannelId = null }, AuthFailureReason.ChannelNotEndorsed, 403),
        ["no serviceurl claim"] = TokenCase(t => t with { ServiceUrl = null }, AuthFailureReason.MissingServiceUrlClaim),
        ["serviceurl claim is not a string"] = TokenCase(t => t with { ServiceUrl = null, ExtraClaims = new Dictionary<string, JsonNode?> { ["serviceurl"] = 42 } }, AuthFailureReason.MissingServiceUrlClaim),
        ["serviceurl is another region"] = TokenCase(t => t with { ServiceUrl = "https://smba.trafficmanager.net/emea/" }, AuthFailureReason.ServiceUrlMismatch),
        ["serviceurl lacks the trailing slash"] = TokenCase(t => t with { ServiceUrl = "https://smba.trafficmanager.net/amer" }, AuthFailureReason.ServiceUrlMismatch),
        ["activity serviceUrl differs"] = RequestCase(r => r with { ServiceUrl = "https://attacker.example/amer/" }, AuthFailureReason.ServiceUrlMismatch),
        ["activity has no serviceUrl"] = RequestCase(r => r with { ServiceUrl = null }, AuthFailureReason.ServiceUrlMismatch),
    };

    public static TheoryData<string> RejectionCaseNames => [.. RejectionCases.Keys];

    [Fact]
    public async Task AuthenticateAsync_Accepts_WhenTokenIsAValidChannelToken()
    {
        using var harness = new AuthTestHarness();

        var result = await harness.AuthenticateAsync();

        Assert.True(result.Succeeded);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(AuthFailureReason.None, result.Reason);
        Assert.Null(result.PublicMessage);
        Assert.Equal(AuthMode.BotFramework, result.Mode);
        Assert.True(result.Identity.IsAuthenticated);
        Assert.Equal(TestTokenIssuer.DefaultServiceUrl, result.Identity.FindFirst("serviceurl")?.Value);
        Assert.Equal(TestTokenIssuer.DefaultAppId, result.Identity.FindFirst("aud")?.Value);
        Assert.Equal(AuthMode.BotFramework, harness.Authenticator.Mode);
    }

    [Theory]
    [MemberData(nameof(RejectionCaseNames))]
    public async Task AuthenticateAsync_Rejects_WhenOneChannelRuleIsBroken(string caseName)
    {
        var rejection = RejectionCases[caseName];
        using var harness = new AuthTestHarness();

        var result = await harness.AuthenticateAsync(rejection.Token(new ChannelTokenSpec()), rejection.Request);

        Assert.False(result.Succeeded);
        Assert.Equal(rejection.Reason, result.Reason);
        Assert.Equal(rejection.StatusCode, result.StatusCode);
        Assert.Null(result.Identity);
        Assert.False(string.IsNullOrWhiteSpace(result.PublicMessage));
        Assert.Equal(AuthMode.BotFramework, result.Mode);
    }

    [Theory]
    [InlineData("RS384")]
    [InlineData("RS512")]
    public async Task AuthenticateAsync_Accepts_WhenAlgorithmIsRs384OrRs512(string algorithm)
    {
        using var harness = new AuthTestHarness();
        Assert.True((await harness.AuthenticateAsync(new ChannelTokenSpec { Algorithm = algorithm })).Succeeded);
    }

    [Fact]
    public async Task AuthenticateAsync_Accepts_WhenServiceUrlDiffersOnlyInCase()
    {
        using var harness = new AuthTestHarness();
        var result = await harness.AuthenticateAsync(adjust: r => r with { ServiceUrl = TestTokenIssuer.DefaultServiceUrl.ToUpperInvariant() });
        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task AuthenticateAsync_Accepts_WhenKeyEndorsesTheActivityChannel()
    {
        using var harness = new AuthTestHarness();
        Assert.True((await harness.AuthenticateAsync(adjust: r => r with { ChannelId = "skype" })).Succeeded);
    }

    [Fact]
    public async Task AuthenticateAsync_JudgesLifetimeByInjectedClock_WhenClockMoves()
    {
        // The manual clock starts in 2031: a token valid now is "not yet valid" by the real clock, so acceptance
        // proves IdentityModel asked our LifetimeValidator (and so the injected TimeProvider) for "now".
        using var harness = new AuthTestHarness();
        var header = harness.Tokens.MintHeader(new ChannelTokenSpec { NotBeforeIn = TimeSpan.Zero, ExpiresIn = TimeSpan.FromHours(1) });
        var request = AuthTestHarness.Request(header);

        Assert.True((await harness.AuthenticateAsync(request)).Succeeded);

        harness.Clock.Advance(TimeSpan.FromMinutes(60 + 4));
        Assert.True((await harness.AuthenticateAsync(request)).Succeeded); // 4 minutes past exp: inside the 5 minute skew

        harness.Clock.Advance(TimeSpan.FromMinutes(2));
        var expired = await harness.AuthenticateAsync(request);
        Assert.Equal(AuthFailureReason.TokenExpired, expired.Reason);
        Assert.Equal(401, expired.StatusCode);
    }

    [Fact]
    public async Task AuthenticateAsync_AcceptsNotYetValidToken_WhenClockReachesNotBeforeMinusSkew()
    {
        using var harness = new AuthTestHarness();
        var request = AuthTestHarness.Request(harness.Tokens.MintHeader(new ChannelTokenSpec { NotBeforeIn = TimeSpan.FromMinutes(10) }));

        Assert.Equal(AuthFailureReason.TokenNotYetValid, (await harness.AuthenticateAsync(request)).Reason);

        harness.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True((await harness.AuthenticateAsync(request)).Succeeded);
    }

    [Fact]
    public async Task AuthenticateAsync_UsesConfiguredClockSkew_WhenSkewIsChanged()
    {
        using var harness = new AuthTestHarness(o => o.ClockSkew = TimeSpan.FromMinutes(1));
        var result = await harness.AuthenticateAsync(new ChannelTokenSpec { NotBeforeIn = TimeSpan.FromHours(-2), ExpiresIn = TimeSpan.FromMinutes(-2) });
        Assert.Equal(AuthFailureReason.TokenExpired, result.Reason);
    }

    [Fact]
    public async Task AuthenticateAsync_RejectsAsForbidden_WhenTenantIsNotInAllowList()
    {
        using var harness = new AuthTestHarness(o => o.AllowedTenantIds = ["tenant-b"]);

        var result = await harness.AuthenticateAsync();

        Assert.Equal(AuthFailureReason.TenantNotAllowed, result.Reason);
        Assert.Equal(403, result.StatusCode);
        Assert.Equal(AuthFailureReason.TenantNotAllowed, (await harness.AuthenticateAsync(adjust: r => r with { TenantId = null })).Reason);
    }

    [Fact]
    public async Task AuthenticateAsync_Accepts_WhenTenantIsInAllowList()
    {
        using var harness = new AuthTestHarness(o => o.AllowedTenantIds = ["tenant-b", "TENANT-A"]);
        Assert.True((await harness.AuthenticateAsync()).Succeeded);
    }

    [Fact]
    public async Task AuthenticateAsync_RejectsTokenlessLoopbackRequest_WhenAppIdIsConfigured()
    {
        // Local development behaviour must be unreachable with an app id: loopback without a token is still 401.
        using var harness = new AuthTestHarness();
        var result = await harness.AuthenticateAsync(new InboundAuthRequest(null, System.Net.IPAddress.Loopback, "msteams", TestTokenIssuer.DefaultServiceUrl, "tenant-a"));
        Assert.Equal(AuthFailureReason.MissingAuthorizationHeader, result.Reason);
        Assert.Equal(401, result.StatusCode);
        Assert.Equal(AuthMode.BotFramework, result.Mode);
    }

    [Theory]
    [InlineData("Bearer ..")]
    [InlineData("Bearer ...")]
    [InlineData("Bearer eyJhbGciOiJSUzI1NiJ9")]
    [InlineData("Bearer eyJhbGciOiJSUzI1NiJ9.eyJ9.")]
    [InlineData("Bearer eyJ9.eyJ9.c2ln")]
    [InlineData("Bearer e30.e30.e30.e30.e30")]
    [InlineData("Bearer \u00e9\u00e9.\u00e9\u00e9.\u00e9\u00e9")]
    public async Task AuthenticateAsync_ReturnsUnauthorizedWithoutThrowing_WhenTokenIsGarbage(string header)
    {
        using var harness = new AuthTestHarness();
        var result = await harness.AuthenticateAsync(AuthTestHarness.Request(header));
        Assert.False(result.Succeeded);
        Assert.Equal(401, result.StatusCode);
    }

    [Fact]
    public async Task AuthenticateAsync_ReturnsUnauthorized_WhenTokenIsLargerThanTheHandlerLimit()
    {
        using var harness = new AuthTestHarness();
        var huge = harness.Tokens.Mint(new ChannelTokenSpec { ExtraClaims = new Dictionary<string, JsonNode?> { ["pad"] = new string('x', 300_000) } });
        var result = await harness.AuthenticateAsync(AuthTestHarness.Request("Bearer " + huge));
        Assert.Equal(AuthFailureReason.MalformedToken, result.Reason);
    }

    [Fact]
    public async Task AuthenticateAsync_LogsReasonButNeverTheToken_WhenRejecting()
    {
        using var harness = new AuthTestHarness();
        var token = harness.Tokens.Mint(new ChannelTokenSpec { Audience = "someone-else" });

        var result = await harness.AuthenticateAsync(AuthTestHarness.Request("Bearer " + token));

        Assert.Equal(AuthFailureReason.InvalidAudience, result.Reason);
        var refusal = Assert.Single(harness.Logs.Records, r => r.EventId.Id == 1100);
        Assert.Contains("InvalidAudience", refusal.Message, StringComparison.Ordinal);
        var signature = token[(token.LastIndexOf('.') + 1)..];
        var payload = token.Split('.')[1];
        Assert.DoesNotContain(harness.Logs.Records, r => r.Message.Contains(payload, StringComparison.Ordinal) || r.Message.Contains(signature, StringComparison.Ordinal));
        Assert.DoesNotContain(harness.Logs.Records, r => r.Message.Contains("someone-else", StringComparison.Ordinal));
    }
}
