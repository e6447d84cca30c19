using System.IO.Compression;
using ApprovalBot.Teams.Manifest;

namespace ApprovalBot.UnitTests.Manifest;

internal static class ManifestSamples
{
    public const string AppId = "6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c";
    public const string TeamsAppId = "0b9e4d7a-3c21-4e8f-9a6b-1d2c3e4f5a6b";
    public const string Domain = "approvalbot.contoso.example";

    public static ManifestValues Values { get; } = new()
    {
        TeamsAppId = TeamsAppId,
        MicrosoftAppId = AppId,
        BotDomain = Domain,
        Version = "1.4.2",
        DeveloperName = "Contoso IT",
        WebsiteUrl = "https://contoso.example/it",
        PrivacyUrl = "https://contoso.example/privacy",
        TermsOfUseUrl = "https://contoso.example/terms",
    };

    public static ManifestTemplate Template { get; } = ManifestTemplate.LoadEmbedded();

    public static Dictionary<string, byte[]> Entries(ReadOnlyMemory<byte> zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip.ToArray()), ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        });
    }
}
