using System.Buffers.Binary;

namespace ApprovalBot.Teams.Manifest;

/// <summary>
/// The facts of a PNG file that Teams checks on upload: size, and whether it can be transparent.
/// Reads the signature, IHDR, and the chunk list up to the first IDAT; decodes no pixels.
/// </summary>
internal readonly record struct PngHeader(int Width, int Height, byte BitDepth, byte ColorType, bool HasTransparencyChunk)
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Colour types 4 (grey + alpha) and 6 (RGBA) carry alpha; other types only through a tRNS chunk.</summary>
    public bool CanBeTransparent => ColorType is 4 or 6 || HasTransparencyChunk;

    public static bool TryRead(ReadOnlySpan<byte> png, out PngHeader header)
    {
        header = default;
        // signature (8) + IHDR length (4) + type (4) + data (13) + CRC (4)
        if (png.Length < 33 || !png[..8].SequenceEqual(Signature)
            || BinaryPrimitives.ReadUInt32BigEndian(png[8..]) != 13 || !png[12..16].SequenceEqual("IHDR"u8))
        {
            return false;
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(png[16..]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(png[20..]);
        if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue)
        {
            return false;
        }

        var hasTrns = false;
        var offset = 33;
        while (offset + 8 <= png.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            var type = png.Slice(offset + 4, 4);
            if (type.SequenceEqual("IDAT"u8) || type.SequenceEqual("IEND"u8))
            {
                break;
            }

            hasTrns |= type.SequenceEqual("tRNS"u8);
            if (length > (uint)(png.Length - offset - 12))
            {
                return false;
            }

            offset += 12 + (int)length;
        }

        header = new PngHeader((int)width, (int)height, png[24], png[25], hasTrns);
        return true;
    }
}
