using ApprovalBot.Agreements.Documents;
using Microsoft.Extensions.Options;

namespace ApprovalBot.UnitTests.Agreements.Documents;

public sealed class DocumentIntakeTests
{
    private static DocumentIntake Intake(long maxBytes = DocumentsOptions.DefaultMaxBytes, params string[] types) =>
        new(Options.Create(new DocumentsOptions { MaxBytes = maxBytes, AllowedTypes = types.Length == 0 ? null : types }));

    [Fact]
    public void Sniff_RecognisesPdfAndDocx_ByContent()
    {
        Assert.Equal(DocumentTypes.Pdf, DocumentTypes.Sniff(SampleDocuments.Pdf()).Type);
        Assert.Equal(DocumentTypes.Docx, DocumentTypes.Sniff(SampleDocuments.Docx()).Type);
    }

    [Theory]
    [InlineData("xlsx", "an Office file that is not a Word document")]
    [InlineData("exe", "a Windows program")]
    [InlineData("text", "not a PDF or Word document")]
    [InlineData("broken-zip", "a damaged ZIP archive")]
    public void Sniff_RefusesOtherContent_AndSaysWhatItIs(string sample, string description)
    {
        byte[] bytes = sample switch
        {
            "xlsx" => SampleDocuments.Xlsx(),
            "exe" => SampleDocuments.Exe(),
            "broken-zip" => [(byte)'P', (byte)'K', 3, 4, 1, 2, 3],
            _ => "just some text pretending to be a contract"u8.ToArray(),
        };
        Assert.Equal((null, description), DocumentTypes.Sniff(bytes));
    }

    [Fact]
    public async Task ReadAsync_RefusesAnEmptyFile_AsEmpty_NotAsAForbiddenType()
    {
        var check = await Intake().ReadAsync(new MemoryStream(), "contract.pdf", "application/pdf", CancellationToken.None);
        Assert.Equal(((DocumentRefusal?)DocumentRefusal.Empty, "The file 'contract.pdf' is empty (0 bytes): send the document itself. Nothing was stored."), (check.Refusal, check.Problem!));
        Assert.Null(check.File);
    }

    [Fact]
    public void Check_AcceptsAPdf_WithItsSizeAndSha256()
    {
        var bytes = SampleDocuments.Pdf(5000);
        var check = Intake().Check(bytes, "Contract.PDF", "application/pdf");
        Assert.Null(check.Refusal);
        Assert.Equal(("Contract.PDF", DocumentTypes.PdfMime, 5000L), (check.File!.FileName, check.File.ContentType, check.File.SizeBytes));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), check.File.Sha256);
    }

    [Theory]
    [InlineData("contract.docx", "application/pdf")]            // a PDF named .docx
    [InlineData("contract.pdf", "application/msword")]          // declared as something else
    [InlineData("contract", null)]                              // no extension
    public void Check_RefusesAPdf_WhoseNameOrDeclaredTypeDisagrees(string name, string? declared)
    {
        var check = Intake().Check(SampleDocuments.Pdf(), name, declared);
        Assert.Equal(DocumentRefusal.ForbiddenType, check.Refusal);
        Assert.Contains("Nothing was stored", check.Problem, StringComparison.Ordinal);
        Assert.Null(check.Content);
    }

    [Fact]
    public void Check_RefusesAnExecutableNamedPdf()
    {
        var check = Intake().Check(SampleDocuments.Exe(), "contract.pdf", "application/pdf");
        Assert.Equal(DocumentRefusal.ForbiddenType, check.Refusal);
        Assert.Contains("'contract.pdf' is a Windows program; only PDF or DOCX documents are accepted", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_RefusesDocx_WhenOnlyPdfIsAllowed()
    {
        var check = Intake(DocumentsOptions.DefaultMaxBytes, "pdf").Check(SampleDocuments.Docx(), "contract.docx", null);
        Assert.Equal(DocumentRefusal.ForbiddenType, check.Refusal);
        Assert.Contains("only PDF documents are accepted", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_StopsAtTheLimit_WithoutReadingTheRest()
    {
        var stream = new CountingStream(SampleDocuments.Pdf(1_000_000));
        var check = await Intake(maxBytes: 100_000).ReadAsync(stream, "big.pdf", "application/pdf", CancellationToken.None);
        Assert.Equal(DocumentRefusal.TooLarge, check.Refusal);
        Assert.Contains("larger than the limit of 97.7 KB", check.Problem, StringComparison.Ordinal);
        Assert.True(stream.BytesRead < 200_000, $"read {stream.BytesRead} bytes of a 1 MB body with a 100 KB limit");
    }

    [Fact]
    public async Task ReadAsync_AcceptsAFileOfExactlyTheLimit()
    {
        var check = await Intake(maxBytes: 4096).ReadAsync(new MemoryStream(SampleDocuments.Pdf(4096)), "edge.pdf", null, CancellationToken.None);
        Assert.Null(check.Refusal);
        Assert.Equal(4096, check.File!.SizeBytes);
    }

    [Fact]
    public void CheckDeclaredLength_RefusesBeforeReading_WhenTheDeclaredLengthIsOverTheLimit()
    {
        Assert.Equal(DocumentRefusal.TooLarge, Intake(maxBytes: 1024).CheckDeclaredLength("x.pdf", 1025)!.Refusal);
        Assert.Null(Intake(maxBytes: 1024).CheckDeclaredLength("x.pdf", 1024));
        Assert.Null(Intake(maxBytes: 1024).CheckDeclaredLength("x.pdf", null));
    }

    private sealed class CountingStream(byte[] content) : MemoryStream(content)
    {
        public long BytesRead { get; private set; }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await base.ReadAsync(buffer, cancellationToken);
            BytesRead += n;
            return n;
        }
    }
}
