using System.IO.Compression;
using System.Text;

namespace ApprovalBot.TestSupport.Domain;

/// <summary>Small, real-shaped files for the document checks: a PDF (its header), a DOCX (a Word package), and impostors.</summary>
public static class SampleDocuments
{
    /// <summary>A PDF of exactly <paramref name="size"/> bytes (at least 32); <paramref name="seed"/> varies the content (and so the hash).</summary>
    public static byte[] Pdf(int size = 4096, int seed = 1)
    {
        var head = Encoding.ASCII.GetBytes($"%PDF-1.7\n% sample {seed}\n");
        var tail = Encoding.ASCII.GetBytes("\n%%EOF\n");
        var bytes = new byte[Math.Max(size, head.Length + tail.Length)];
        head.CopyTo(bytes, 0);
        for (var i = head.Length; i < bytes.Length - tail.Length; i++) bytes[i] = (byte)('a' + ((i + seed) % 26));
        tail.CopyTo(bytes, bytes.Length - tail.Length);
        return bytes;
    }

    /// <summary>A minimal Word package: <c>[Content_Types].xml</c> and <c>word/document.xml</c>.</summary>
    public static byte[] Docx(string text = "Contoso support agreement") =>
        Zip(("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
            ("word/document.xml", $"<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"));

    /// <summary>A ZIP that is not a Word document (an Excel-like package).</summary>
    public static byte[] Xlsx() =>
        Zip(("[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>"), ("xl/workbook.xml", "<workbook/>"));

    /// <summary>The start of a Windows program.</summary>
    public static byte[] Exe() => [(byte)'M', (byte)'Z', 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xFF, 0xFF];

    private static byte[] Zip(params (string Name, string Text)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(Encoding.UTF8.GetBytes(text));
            }
        }
        return buffer.ToArray();
    }
}
