using System.Reflection;

namespace ApprovalBot.Teams.Manifest;

/// <summary>
/// The unfilled app package: the manifest template text and the two icons, as embedded into the host
/// assembly from <c>manifest/</c> (so a published binary can package without the source tree).
/// </summary>
internal sealed record ManifestTemplate(string ManifestJson, ReadOnlyMemory<byte> ColorPng, ReadOnlyMemory<byte> OutlinePng)
{
    public const string ManifestResource = "manifest/manifest.json";
    public const string ColorIconResource = "manifest/color.png";
    public const string OutlineIconResource = "manifest/outline.png";

    public static ManifestTemplate LoadEmbedded() => Load(typeof(ManifestTemplate).Assembly);

    /// <exception cref="InvalidOperationException">A manifest file is not embedded in <paramref name="assembly"/>.</exception>
    public static ManifestTemplate Load(Assembly assembly)
    {
        var manifest = Read(assembly, ManifestResource);
        using var reader = new StreamReader(new MemoryStream(manifest), detectEncodingFromByteOrderMarks: true);
        return new ManifestTemplate(reader.ReadToEnd(), Read(assembly, ColorIconResource), Read(assembly, OutlineIconResource));
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException(
                $"The embedded resource '{name}' is missing from {assembly.GetName().Name}. The host project must embed " +
                "manifest/manifest.json, color.png and outline.png with LogicalName=\"manifest/%(Filename)%(Extension)\".");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
