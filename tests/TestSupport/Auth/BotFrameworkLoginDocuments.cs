using System.Text.Json.Nodes;

namespace ApprovalBot.TestSupport.Auth;

/// <summary>The two documents a Bot Framework login service serves, shaped like login.botframework.com's.</summary>
public static class BotFrameworkLoginDocuments
{
    public const string MetadataPath = "/v1/.well-known/openidconfiguration";
    public const string KeysPath = "/v1/.well-known/keys";

    public static string Metadata(string jwksUri) => new JsonObject
    {
        ["issuer"] = "https://api.botframework.com",
        ["authorization_endpoint"] = "https://invalid.botframework.com",
        ["jwks_uri"] = jwksUri,
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
    }.ToJsonString();

    public static string KeySet(IEnumerable<TestSigningKey> keys) =>
        new JsonObject { ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode?)k.ToJwk())]) }.ToJsonString();
}
