using System.Globalization;
using System.Security.Claims;
using ApprovalBot.Api;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace ApprovalBot.Agreements.Documents;

/// <summary>A document as the API shows it.</summary>
/// <param name="ContentUrl">The API path of its bytes (needs an API key).</param>
/// <param name="DownloadUrl">A signed link that works in a browser until it expires; null unless PublicBaseUrl and LinkSigningKey are configured.</param>
public sealed record DocumentDto(
    long Id, int Revision, string Kind, string FileName, string ContentType, long SizeBytes, string Sha256,
    string UploadedBy, DateTimeOffset UploadedAt, string ContentUrl, string? DownloadUrl);

/// <summary>The answer to an upload: the document and what it did to the agreement.</summary>
/// <param name="Change">Unchanged, AddedToRevision, NewRevision or NewRevisionInApproval (the approval restarted from the first stage).</param>
public sealed record DocumentUploadDto(DocumentDto Document, string Change, string AgreementStatus, int Revision, string Message);

/// <summary>The documents of one revision.</summary>
public sealed record DocumentListDto(long AgreementId, int Revision, IReadOnlyList<DocumentDto> Documents);

/// <summary>
/// <c>/api/v1/agreements/{id}/documents</c> (upload, list, content) and <c>/documents/{id}/{sha256}</c>, the signed
/// browser link of the cards.
/// </summary>
public static class DocumentsApi
{
    private const int MaxFieldChars = 512;

    public static IEndpointRouteBuilder MapAgreementDocuments(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();
        api.MapPost("/agreements/{id:long}/documents", UploadAsync)
            .RequireApiPolicy(ApiPolicies.Write)
            .WithName("UploadAgreementDocument").WithTags("Agreements")
            .WithSummary("Adds the draft or the final contract to the agreement's current revision (or a new one).")
            .WithDescription("Either multipart/form-data with fields kind, by and one file part, or the raw file as the body with kind, fileName and by in the query. "
                + "kind: Draft or FinalContract; by: the author or an oversight owner (e-mail, UPN or Entra object id). PDF or DOCX only, verified by content; an empty file (0 bytes): 400; over the size limit: 413; another type (or a name or declared type that does not match the content): 415; nothing is stored then. "
                + "A revision already submitted gets a new revision; in approval that restarts the approval from the first stage (earlier decisions do not count). The same file again changes nothing.")
            .Accepts<IFormFile>("multipart/form-data", "application/pdf", DocumentTypes.DocxMime, "application/octet-stream")
            .Produces<DocumentUploadDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .DisableAntiforgery();

        api.MapGet("/agreements/{id:long}/documents", ListAsync)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("ListAgreementDocuments").WithTags("Agreements")
            .WithSummary("The documents of a revision (default: the current one), with size, SHA-256 and links.")
            .Produces<DocumentListDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/agreements/{id:long}/documents/{documentId:long}/content", ContentAsync)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("GetAgreementDocumentContent").WithTags("Agreements")
            .WithSummary("The document's bytes, verified against its SHA-256 (sent as the ETag).")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet(DocumentLinks.PathPrefix + "/{agreementId:long}/{sha256}", SignedDownloadAsync)
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> UploadAsync(
        long id, HttpContext http, AddAgreementDocument add, DocumentIntake intake, DocumentLinks links, TeamsPeople people, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var request = http.Request;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = intake.MaxBytes + (64 * 1024); // room for the multipart framing; the file itself is limited while read
        string? kindText = request.Query["kind"], by = request.Query["by"], fileName = request.Query["fileName"];
        var multipart = MediaTypeHeaderValue.TryParse(request.ContentType, out var media) && media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);
        if (request.ContentLength is { } declared && declared > intake.MaxBytes + (multipart ? 64 * 1024 : 0))
            return TooLarge($"The upload is {AgreementDocument.FormatSize(declared)}; the limit is {intake.Limit}. Nothing was stored.");

        DocumentCheck? check = null;
        if (multipart)
        {
            var boundary = HeaderUtilities.RemoveQuotes(media!.Boundary).Value;
            if (string.IsNullOrEmpty(boundary)) return ApiProblems.Validation("file", "The multipart body has no boundary.");
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var field = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                var partName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                if (partName is not null)
                {
                    if (check is not null) return ApiProblems.Validation("file", "Send one file per upload.");
                    check = await intake.ReadAsync(section.Body, partName, section.ContentType, cancellationToken);
                    if (check.Refusal is not null) return Refused(check);
                    continue;
                }
                var value = await DocumentIntake.ReadLimitedAsync(section.Body, MaxFieldChars, cancellationToken);
                var text = value is null ? null : System.Text.Encoding.UTF8.GetString(value);
                switch (field)
                {
                    case "kind": kindText = text; break;
                    case "by": by = text; break;
                }
            }
            if (check is null) return ApiProblems.Validation("file", "The multipart body has no file part.");
        }
        else
        {
            if (string.IsNullOrWhiteSpace(fileName)) return ApiProblems.Validation("fileName", "fileName is required (in the query) when the body is the raw file.");
            check = await intake.ReadAsync(request.Body, fileName, request.ContentType, cancellationToken);
            if (check.Refusal is not null) return Refused(check);
        }

        return await ApiResults.GuardAsync(async () =>
        {
            var input = new ApiInput(people);
            var person = await input.PersonAsync(by, "by", required: true, cancellationToken);
            if (!TryKind(kindText, out var kind)) input.Error("kind", "kind is required: Draft or FinalContract.");
            if (input.HasErrors) return input.Problem();

            var added = await add.HandleAsync(id, kind, check.File!, check.Content!, person!.Value, cancellationToken);
            if (added is null) return ApiResults.NotFound($"There is no agreement {id}.");
            var dto = ToDto(added.Agreement.Id, added.Agreement.CurrentRevision.Number, added.Document, links);
            return Results.Created(dto.ContentUrl, new DocumentUploadDto(dto, added.Change.ToString(), added.Agreement.Status.ToString(),
                added.Agreement.CurrentRevision.Number, added.Summary()));
        });
    }

    private static async Task<IResult> ListAsync(long id, int? revision, BotDbContext db, DocumentLinks links, CancellationToken cancellationToken)
    {
        var agreement = await db.Agreements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (agreement is null) return ApiResults.NotFound($"There is no agreement {id}.");
        var chosen = revision is { } n ? agreement.Revisions.FirstOrDefault(r => r.Number == n) : agreement.CurrentRevision;
        if (chosen is null) return ApiResults.NotFound($"Agreement {id} has no revision {revision}.");
        return Results.Ok(new DocumentListDto(id, chosen.Number, [.. chosen.Documents.OrderBy(d => d.Kind).Select(d => ToDto(id, chosen.Number, d, links))]));
    }

    private static async Task<IResult> ContentAsync(long id, long documentId, BotDbContext db, IDocumentStore store, CancellationToken cancellationToken)
    {
        var agreement = await db.Agreements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        var document = agreement?.Revisions.SelectMany(r => r.Documents).FirstOrDefault(d => d.Id == documentId);
        if (document is null) return ApiResults.NotFound($"Agreement {id} has no document {documentId}.");
        return await FileAsync(document, store, cancellationToken);
    }

    /// <summary>The card's link: no API key, the signature is the authority. Plain-text answers: a browser shows them.</summary>
    private static async Task<IResult> SignedDownloadAsync(
        long agreementId, string sha256, long? expires, string? sig, DocumentLinks links, BotDbContext db, IDocumentStore store, CancellationToken cancellationToken)
    {
        switch (links.Check(agreementId, sha256, expires ?? 0, sig))
        {
            case LinkCheck.Invalid:
                return Results.Text("This download link is not valid. Open the document from its card in Teams.", "text/plain", statusCode: StatusCodes.Status403Forbidden);
            case LinkCheck.Expired:
                return Results.Text("This download link has expired. Open the card again in Teams (or: agreement show <name>) for a fresh link.", "text/plain", statusCode: StatusCodes.Status410Gone);
        }
        var agreement = await db.Agreements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == agreementId, cancellationToken);
        var document = agreement?.Revisions.OrderByDescending(r => r.Number).SelectMany(r => r.Documents).FirstOrDefault(d => d.Sha256 == sha256);
        if (document is null) return Results.Text("This document no longer exists.", "text/plain", statusCode: StatusCodes.Status404NotFound);
        return await FileAsync(document, store, cancellationToken);
    }

    private static async Task<IResult> FileAsync(AgreementDocument document, IDocumentStore store, CancellationToken cancellationToken)
    {
        var content = await store.GetAsync(document.Sha256, cancellationToken);
        if (content is null) return ApiResults.NotFound($"The content of document {document.Id} (sha256 {document.ShortHash}) is missing from the document store.");
        return Results.File(content, document.ContentType, document.FileName, entityTag: new EntityTagHeaderValue($"\"{document.Sha256}\""));
    }

    internal static DocumentDto ToDto(long agreementId, int revision, AgreementDocument d, DocumentLinks links) => new(
        d.Id, revision, d.Kind.ToString(), d.FileName, d.ContentType, d.SizeBytes, d.Sha256, d.UploadedBy.Value, d.UploadedAt,
        string.Create(CultureInfo.InvariantCulture, $"{ApiModule.BasePath}/agreements/{agreementId}/documents/{d.Id}/content"),
        links.For(agreementId, d.Sha256));

    internal static bool TryKind(string? text, out DocumentKind kind)
    {
        kind = default;
        var t = (text ?? "").Trim().ToLowerInvariant();
        switch (t)
        {
            case "draft": kind = DocumentKind.Draft; return true;
            case "finalcontract" or "final" or "final-contract" or "contract": kind = DocumentKind.FinalContract; return true;
            default: return false;
        }
    }

    /// <summary>Over the limit: 413; an empty file: 400 (a bad request, not a type the bot refuses); anything else: 415.</summary>
    private static IResult Refused(DocumentCheck check) => check.Refusal switch
    {
        DocumentRefusal.TooLarge => TooLarge(check.Problem!),
        DocumentRefusal.Empty => Results.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [check.Problem!] }, detail: check.Problem,
            title: "One or more fields are not valid.", extensions: new Dictionary<string, object?> { ["code"] = "document.empty" }),
        _ => Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported Media Type", detail: check.Problem,
            extensions: new Dictionary<string, object?> { ["code"] = "document.type" }),
    };

    private static IResult TooLarge(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload Too Large", detail: detail,
            extensions: new Dictionary<string, object?> { ["code"] = "document.too_large" });
}
