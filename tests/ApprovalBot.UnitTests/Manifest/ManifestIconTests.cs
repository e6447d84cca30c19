using System.Globalization;
using System.Text.Json.Nodes;

namespace ApprovalBot.UnitTests.Manifest;

public class ManifestIconTests
{
    private static readonly PngImage Color = PngImage.Decode(ManifestSamples.Template.ColorPng.Span);
    private static readonly PngImage Outline = PngImage.Decode(ManifestSamples.Template.OutlinePng.Span);

    [Fact]
    public void ColorIcon_Is192By192Opaque_WhenEmbedded()
    {
        Assert.Equal((192, 192), (Color.Width, Color.Height));
        Assert.All(Color.Pixels(), p => Assert.Equal(255, p.A));
    }

    [Fact]
    public void ColorIcon_BackgroundIsTheAccentColor_WhenComparedWithManifest()
    {
        var accent = (string)JsonNode.Parse(ManifestSamples.Template.ManifestJson)!["accentColor"]!;
        var rgb = int.Parse(accent.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

        foreach (var (x, y) in new[] { (0, 0), (191, 0), (0, 191), (191, 191), (96, 4) })
        {
            var p = Color[x, y];
            Assert.Equal(((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb), (p.R, p.G, p.B));
        }
    }

    [Fact]
    public void OutlineIcon_Is32By32WithAlphaChannel_WhenEmbedded()
    {
        Assert.Equal((32, 32), (Outline.Width, Outline.Height));
        Assert.Equal(6, Outline.ColorType); // RGBA
    }

    [Fact]
    public void OutlineIcon_HasOnlyWhitePixelsOnTransparentBackground_WhenDecoded()
    {
        var pixels = Outline.Pixels().ToList();

        Assert.All(pixels.Where(p => p.A > 0), p => Assert.Equal((255, 255, 255), (p.R, p.G, p.B)));
        Assert.All(new[] { (0, 0), (31, 0), (0, 31), (31, 31), (16, 4) }, c => Assert.Equal(0, Outline[c.Item1, c.Item2].A));
        Assert.InRange(pixels.Count(p => p.A == 255), 50, 512); // a drawn outline, not an empty or filled square
        Assert.True(pixels.Count(p => p.A == 0) > pixels.Count / 2, "the background must be transparent");
    }
}
