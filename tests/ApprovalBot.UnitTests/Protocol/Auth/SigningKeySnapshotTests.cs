using ApprovalBot.Protocol.Auth;
using ApprovalBot.TestSupport.Auth;
using Microsoft.IdentityModel.Tokens;

namespace ApprovalBot.UnitTests.Protocol.Auth;

public class SigningKeySnapshotTests
{
    private static readonly DateTimeOffset At = new(2031, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static SigningKeySnapshot Parse(string jwks)
    {
        var set = new JsonWebKeySet(jwks);
        return SigningKeySnapshot.Create(set, set.GetSigningKeys(), At);
    }

    [Fact]
    public void Create_ReadsEndorsementsFromJsonWebKeyAdditionalData_WhenJwksCarriesThem()
    {
        // Proves IdentityModel 8.16 keeps the non-standard "endorsements" member in JsonWebKey.AdditionalData.
        var snapshot = Parse(BotFrameworkLoginDocuments.KeySet([TestSigningKeys.Teams, TestSigningKeys.SkypeOnly]));

        Assert.Equal(2, snapshot.KeyCount);
        Assert.Single(snapshot.KeysFor(TestSigningKeys.Teams.KeyId));
        Assert.Equal(new HashSet<string> { "msteams", "skype" }, snapshot.EndorsementsFor(TestSigningKeys.Teams.KeyId));
        Assert.Equal(new HashSet<string> { "skype" }, snapshot.EndorsementsFor(TestSigningKeys.SkypeOnly.KeyId));
        Assert.Empty(snapshot.KeysFor("unknown"));
    }

    [Fact]
    public void Create_GivesNoEndorsements_WhenMemberIsMissing()
    {
        var snapshot = Parse(BotFrameworkLoginDocuments.KeySet([TestSigningKeys.Unendorsed]));
        Assert.Single(snapshot.KeysFor(TestSigningKeys.Unendorsed.KeyId));
        Assert.Null(snapshot.EndorsementsFor(TestSigningKeys.Unendorsed.KeyId));
    }

    [Theory]
    [InlineData("\"msteams\"")]
    [InlineData("[\"msteams\", 1]")]
    [InlineData("{\"msteams\": true}")]
    [InlineData("null")]
    public void Create_GivesNoEndorsements_WhenMemberIsNotAnArrayOfStrings(string endorsementsJson)
    {
        var jwk = TestSigningKeys.Teams.WithEndorsements(null).ToJwk().ToJsonString();
        var jwks = "{\"keys\":[" + jwk[..^1] + ",\"endorsements\":" + endorsementsJson + "}]}";
        Assert.Null(Parse(jwks).EndorsementsFor(TestSigningKeys.Teams.KeyId));
    }

    [Fact]
    public void Create_GivesNoEndorsements_WhenKeyIdIsPublishedTwice()
    {
        var snapshot = Parse(BotFrameworkLoginDocuments.KeySet([TestSigningKeys.Teams, TestSigningKeys.Teams.WithEndorsements(["webchat"])]));
        Assert.Null(snapshot.EndorsementsFor(TestSigningKeys.Teams.KeyId));
    }
}
