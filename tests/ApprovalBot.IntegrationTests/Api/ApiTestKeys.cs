using System.Security.Cryptography;
using System.Text;

namespace ApprovalBot.IntegrationTests.Api;

/// <summary>The keys the API tests configure: a plain reader key, a writer configured only by its SHA-256, an admin.</summary>
internal static class ApiTestKeys
{
    public const string Reader = "reader-key-7Qm2vX9pL4sT8wZ1";
    public const string Writer = "writer-key-Hn3Kd8Rf2Yc6Vb0J";
    public const string Admin = "admin-key-Pz5Ue1Tg7Wq4Ma9Lx";

    public static string Sha256Hex(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Api:Keys:0:Name"] = "reporting",
        ["Api:Keys:0:Key"] = Reader,
        ["Api:Keys:0:Roles:0"] = "read",
        ["Api:Keys:1:Name"] = "erp",
        ["Api:Keys:1:KeyHash"] = Sha256Hex(Writer),
        ["Api:Keys:1:Roles:0"] = "write",
        ["Api:Keys:2:Name"] = "ops",
        ["Api:Keys:2:Key"] = Admin,
        ["Api:Keys:2:Roles:0"] = "admin",
        ["Api:FailureDelay"] = "00:00:00",
        // Tests call as fast as they can with one key; ApiRateLimitTests set the real limit.
        ["Api:Burst"] = "10000",
    };
}
