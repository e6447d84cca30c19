using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ApprovalBot.Agreements.Documents;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Connector;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.IntegrationTests.Agreements;

/// <summary>
/// Documents pinned by hash through the real endpoint and API: uploads (API and a Teams <c>file.download.info</c>
/// attachment served by a fake file host on 127.0.0.1 over real HTTP), the checks that refuse a file with nothing
/// stored, signed download links, and the rule that a document changed after a decision makes a new revision whose
/// approval restarts from the first stage. The limit is 64 KiB here.
/// </summary>
public abstract class AgreementDocumentTests(ITestDatabaseFactory databases) : IAsyncLifetime
{
    protected const long Limit = 64 * 1024;
    protected const string PublicBase = "https://approvalbot.contoso.example";
    protected static readonly string SigningKey = Convert.ToBase64String(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());

    protected ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    protected ITestDatabase Database { get; private set; } = null!;

    protected BotTestHost Bot { get; set; } = null!;

    protected FakeFileHost Files { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Files = await FakeFileHost.StartAsync();
        Database = await databases.CreateDatabaseAsync();
        Bot = await StartBotAsync(new Dictionary<string, string?>());
    }

    public async Task DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Database.DisposeAsync();
        await Files.DisposeAsync();
    }

    protected async Task<BotTestHost> StartBotAsync(IReadOnlyDictionary<string, string?> extra)
    {
        var settings = ApiTestKeys.Settings();
        settings["Agreements:Documents:MaxBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Agreements:Documents:AllowedHosts:0"] = "127.0.0.1";
        settings["Agreements:Documents:PublicBaseUrl"] = PublicBase;
        settings["Agreements:Documents:LinkSigningKey"] = SigningKey;
        foreach (var (key, value) in extra) settings[key] = value;
        return await BotTestHost.StartAsync(new BotTestHostOptions { Database = Database, Time = Clock, Settings = settings });
    }

    /// <summary>A complete Draft by Alex (also its oversight owner).</summary>
    protected async Task<long> DraftAsync(string name = "Contoso help desk")
    {
        await using var db = Bot.CreateDbContext();
        var terms = SampleTerms.CompleteAt(Clock.GetUtcNow()) with { OversightOwners = [new(Cast.Alex.AadObjectId)] };
        var agreement = Agreement.CreateDraft(name, terms, new(Cast.Alex.AadObjectId), Clock.GetUtcNow());
        db.Agreements.Add(agreement);
        await db.SaveChangesAsync();
        return agreement.Id;
    }

    protected async Task<HttpResponseMessage> UploadAsync(long id, byte[] content, string fileName, string kind = "Draft", string contentType = "application/pdf", string by = ApiCalls.Alex)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/agreements/{id}/documents?kind={kind}&by={by}&fileName={Uri.EscapeDataString(fileName)}");
        request.Headers.TryAddWithoutValidation("X-Api-Key", ApiTestKeys.Writer);
        request.Content = new ByteArrayContent(content);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await Bot.Http.SendAsync(request);
    }

    protected async Task<HttpResponseMessage> UploadMultipartAsync(long id, byte[] content, string fileName, string kind, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/agreements/{id}/documents");
        request.Headers.TryAddWithoutValidation("X-Api-Key", ApiTestKeys.Writer);
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Content = new MultipartFormDataContent { { new StringContent(kind), "kind" }, { new StringContent(ApiCalls.Alex), "by" }, { file, "file", fileName } };
        return await Bot.Http.SendAsync(request);
    }

    /// <summary>A 1:1 message with a file attached, shaped as Teams sends it.</summary>
    protected static Task<TurnResult> SendFileAsync(TestConversation chat, string text, string name, string downloadUrl)
    {
        var activity = chat.NewActivity(ActivityTypes.Message);
        activity.Text = text;
        activity.TextFormat = "plain";
        activity.Attachments =
        [
            new Attachment
            {
                ContentType = DocumentFetcher.FileDownloadInfo,
                ContentUrl = $"https://contoso-my.sharepoint.com/personal/alex/Documents/Microsoft Teams Chat Files/{name}",
                Name = name,
                Content = new JsonObject
                {
                    ["downloadUrl"] = downloadUrl,
                    ["uniqueId"] = Guid.NewGuid().ToString(),
                    ["fileType"] = Path.GetExtension(name).TrimStart('.'),
                },
            },
            new Attachment { ContentType = "text/html", Content = JsonValue.Create($"<p>{text}</p>") },
        ];
        return chat.PostAsync(activity);
    }

    protected async Task<Agreement> LoadAsync(long id)
    {
        await using var db = Bot.CreateDbContext();
        return await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    protected async Task<int> StoredContentsAsync()
    {
        await using var db = Bot.CreateDbContext();
        return await db.DocumentContents.CountAsync();
    }

    protected static string Sha(byte[] content) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));

    /// <summary>The URLs the card's text runs open (the document links).</summary>
    protected static IReadOnlyList<string> OpenUrls(JsonNode? node)
    {
        var urls = new List<string>();
        void Walk(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    if (o["type"]?.GetValue<string>() == "Action.OpenUrl" && o["url"] is { } url) urls.Add(url.GetValue<string>());
                    foreach (var (_, child) in o) Walk(child);
                    break;
                case JsonArray a:
                    foreach (var child in a) Walk(child);
                    break;
            }
        }
        Walk(node);
        return urls;
    }

    /// <summary>The next message in the chat that <paramref name="predicate"/> accepts (others are skipped).</summary>
    protected static async Task<FakeMessage> ExpectMessageAsync(TestConversation chat, Func<FakeMessage, bool> predicate)
    {
        while (true)
        {
            var message = await chat.ExpectMessageAsync();
            if (predicate(message)) return message;
        }
    }

    [Fact]
    public async Task ADocumentChangedAfterAnApprovedStage_MakesANewRevision_WhoseApprovalRestartsFromTheFirstStage()
    {
        var alex = await Bot.WelcomedChatAsync(Cast.Alex);
        var megan = await Bot.WelcomedChatAsync(Cast.Megan);
        var adele = await Bot.WelcomedChatAsync(Cast.Adele);
        var id = await DraftAsync();
        var first = SampleDocuments.Pdf(3000, seed: 1);
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(id, first, "Contoso draft.pdf")).StatusCode);
        await alex.SendAsync($"agreement submit {id}");

        // Megan's card lists the document: name, size, the first 12 hex digits of its hash, and a signed link.
        var (meganCopy, meganCard) = await megan.ExpectCardAsync();
        var texts = TestConversation.Texts(meganCard);
        Assert.Contains("Contoso draft.pdf", texts, StringComparison.Ordinal);
        Assert.Contains($"2.9 KB · sha256 {Sha(first)[..12]}", texts, StringComparison.Ordinal);
        Assert.Contains(OpenUrls(meganCard), u => u.StartsWith($"{PublicBase}/documents/{id}/{Sha(first)}?expires=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await megan.ClickAsync(meganCopy.ActivityId, ApprovalVerbs.Approve, Cards.Click(meganCard, ApprovalVerbs.Approve, "Fine."))).Status);
        var (adeleCopy, _) = await adele.ExpectCardAsync();

        // Alex replaces the draft by attaching a new file in chat while Legal decides.
        var second = SampleDocuments.Pdf(3000, seed: 2);
        await SendFileAsync(alex, "document Contoso help desk draft", "Contoso draft v2.pdf", Files.Add("v2.pdf", second, "application/pdf"));
        var told = await ExpectMessageAsync(alex, m => m.Current.Text?.Contains("Contoso draft v2.pdf", StringComparison.Ordinal) == true);
        Assert.Contains("its approval restarts from the first stage; earlier decisions do not count", told.Current.Text, StringComparison.Ordinal);

        var agreement = await LoadAsync(id);
        Assert.Equal((AgreementStatus.InApproval, 2), (agreement.Status, agreement.CurrentRevision.Number));
        Assert.Equal(Sha(second), agreement.CurrentRevision.Documents.Single().Sha256);
        Assert.Equal(Sha(first), agreement.Revisions[0].Documents.Single().Sha256);   // the decided revision keeps its document
        ApprovalRequest request;
        await using (var db = Bot.CreateDbContext())
            request = await db.ApprovalRequests.AsNoTracking().SingleAsync(r => r.Subject.Id == id);
        Assert.Equal((ApprovalStatus.InProgress, 2, 1, 2), (request.Status, request.Revision, request.CurrentStageNumber, request.Subject.Revision));
        Assert.Equal($"Draft:{Sha(second)}", request.DocumentHashes);
        // The earlier approval stays on record with the hash it was made on, but no longer counts.
        var earlier = request.AuditTrail.Single(e => e.Action == AuditAction.Approve);
        Assert.Equal(($"Draft:{Sha(first)}", 1), (earlier.DocumentHashes, earlier.Revision));
        Assert.Equal([Cast.Megan.AadObjectId], request.WaitingFor.Select(p => p.Value));
        Assert.Contains(request.StageRuns, r => r is { StageNumber: 2, Status: StageRunStatus.Superseded });

        // Megan gets the new card, which says the documents changed; Legal's card lost its buttons.
        var (newCopy, newCard) = await megan.ExpectCardAsync(c => TestConversation.Texts(c).Contains("The documents changed in revision 2", StringComparison.Ordinal));
        Assert.Contains(ApprovalVerbs.Approve, Cards.Verbs(newCard));
        Assert.Contains($"sha256 {Sha(second)[..12]}", TestConversation.Texts(newCard), StringComparison.Ordinal);
        await Bot.WaitForOutboxToSettleAsync();
        Assert.DoesNotContain(ApprovalVerbs.Approve, Cards.Verbs(TestConversation.CardOf(Bot.Connector.GetMessage(adele.Id, adeleCopy.ActivityId)!.Current)));

        // Her old card is stale; deciding on the new one records the new hash.
        var stale = await megan.ClickAsync(meganCopy.ActivityId, ApprovalVerbs.Approve, Cards.Click(meganCard, ApprovalVerbs.Approve));
        Assert.Contains("revision 1; the request is at revision 2", TestConversation.Texts(stale.Card), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await megan.ClickAsync(newCopy.ActivityId, ApprovalVerbs.Approve, Cards.Click(newCard, ApprovalVerbs.Approve))).Status);
        await using (var db = Bot.CreateDbContext())
            request = await db.ApprovalRequests.AsNoTracking().SingleAsync(r => r.Subject.Id == id);
        Assert.Equal((2, $"Draft:{Sha(second)}"), (request.CurrentStageNumber, request.AuditTrail.Last(e => e.Action == AuditAction.Approve).DocumentHashes));
    }

    /// <summary>
    /// The bytes are stored once per hash. Uploads of the same file to several agreements at the same moment all find no
    /// stored copy and all store one: each succeeds, and one row holds the bytes (no clash on the content's key).
    /// </summary>
    [Fact]
    public async Task TheSameFileUploadedToSeveralAgreementsAtOnce_IsStoredOnce_AndEveryUploadSucceeds()
    {
        const int Uploads = 6;
        var ids = new List<long>();
        for (var i = 1; i <= Uploads; i++) ids.Add(await DraftAsync($"Contoso help desk {i}"));
        var pdf = SampleDocuments.Pdf(20_000, seed: 3);

        var answers = await Task.WhenAll(ids.Select(async id =>
        {
            using var response = await UploadAsync(id, pdf, "contract.pdf", "FinalContract");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.All(answers, a => Assert.True(a.StatusCode == HttpStatusCode.Created, $"{(int)a.StatusCode}: {a.Body}"));
        Assert.Equal(1, await StoredContentsAsync());
        foreach (var id in ids)
        {
            var document = Assert.Single((await LoadAsync(id)).CurrentRevision.Documents);
            Assert.Equal(Sha(pdf), document.Sha256);
            using var content = await ApiCalls.GetAsync(Bot, $"/api/v1/agreements/{id}/documents/{document.Id}/content");
            Assert.Equal(pdf, await content.Content.ReadAsByteArrayAsync());
        }
    }
}

public sealed class SqliteAgreementDocumentTests() : AgreementDocumentTests(new SqliteTestDatabases())
{
    [Fact]
    public async Task Upload_ThroughTheApi_IsListedWithHashAndSize_AndItsSignedLinkDownloadsIt_UntilItExpires()
    {
        var id = await DraftAsync();
        var docx = SampleDocuments.Docx();
        var created = await ApiCalls.JsonAsync(await UploadAsync(id, docx, "Final contract.docx", "FinalContract", DocumentTypes.DocxMime), HttpStatusCode.Created);
        Assert.Equal("AddedToRevision", created["change"]!.GetValue<string>());

        var list = await ApiCalls.JsonAsync(await ApiCalls.GetAsync(Bot, $"/api/v1/agreements/{id}/documents"));
        var document = list["documents"]!.AsArray().Single()!;
        Assert.Equal(("FinalContract", "Final contract.docx", (long)docx.Length, Sha(docx), 1),
            (document["kind"]!.GetValue<string>(), document["fileName"]!.GetValue<string>(), document["sizeBytes"]!.GetValue<long>(), document["sha256"]!.GetValue<string>(), document["revision"]!.GetValue<int>()));

        var content = await ApiCalls.GetAsync(Bot, document["contentUrl"]!.GetValue<string>());
        Assert.Equal(docx, await content.Content.ReadAsByteArrayAsync());

        // The signed link needs no API key ...
        var link = new Uri(document["downloadUrl"]!.GetValue<string>());
        Assert.StartsWith(PublicBase + "/documents/", link.ToString(), StringComparison.Ordinal);
        var download = await Bot.Http.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(docx, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("Final contract.docx", download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName);

        // ... but a tampered one (another hash, another expiry, another agreement) is refused ...
        var tampered = link.PathAndQuery.Replace("expires=", "expires=9", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await Bot.Http.GetAsync(tampered)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Bot.Http.GetAsync(link.PathAndQuery.Replace($"/documents/{id}/", $"/documents/{id + 1}/", StringComparison.Ordinal))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Bot.Http.GetAsync(link.AbsolutePath)).StatusCode);

        // ... and so is an expired one, with a message that says how to get a fresh link.
        Clock.Advance(TimeSpan.FromHours(24));
        var expired = await Bot.Http.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_OverTheLimit_Is413_AndOfAForbiddenType_Is415_AndNothingIsStored()
    {
        var id = await DraftAsync();
        var big = await UploadAsync(id, SampleDocuments.Pdf((int)Limit + 1), "big.pdf");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        var problem = await ApiCalls.JsonAsync(big, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("the limit is 64 KB", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var exe = await ApiCalls.JsonAsync(await UploadAsync(id, SampleDocuments.Exe(), "contract.pdf"), HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("'contract.pdf' is a Windows program; only PDF or DOCX documents are accepted", exe["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await ApiCalls.JsonAsync(await UploadAsync(id, SampleDocuments.Xlsx(), "sheet.xlsx", contentType: "application/octet-stream"), HttpStatusCode.UnsupportedMediaType);

        Assert.Equal(0, await StoredContentsAsync());
        var agreement = await LoadAsync(id);
        Assert.Empty(agreement.CurrentRevision.Documents);
        Assert.Equal(1, agreement.Version);
    }

    [Fact]
    public async Task AnEmptyFile_Is400ThroughTheApi_AndAClearMessageInChat_AndNothingIsStored()
    {
        var alex = await Bot.WelcomedChatAsync(Cast.Alex);
        var id = await DraftAsync();

        var raw = await ApiCalls.JsonAsync(await UploadAsync(id, [], "draft.pdf"), HttpStatusCode.BadRequest);
        Assert.Equal("document.empty", raw["code"]!.GetValue<string>());
        Assert.Equal("The file 'draft.pdf' is empty (0 bytes): send the document itself. Nothing was stored.", raw["errors"]!["file"]![0]!.GetValue<string>());
        var multipart = await ApiCalls.JsonAsync(await UploadMultipartAsync(id, [], "contract.docx", "FinalContract", DocumentTypes.DocxMime), HttpStatusCode.BadRequest);
        Assert.Contains("The file 'contract.docx' is empty (0 bytes)", multipart["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        await SendFileAsync(alex, "document Contoso help desk draft", "draft.pdf", Files.Add("empty.pdf", [], "application/pdf"));
        var (_, card) = await alex.ExpectCardAsync();
        Assert.Contains("The file 'draft.pdf' is empty (0 bytes): send the document itself. Nothing was stored.", TestConversation.Texts(card), StringComparison.Ordinal);
        Assert.Contains("document [<agreement>] draft|final", TestConversation.Texts(card), StringComparison.Ordinal);

        Assert.Equal(0, await StoredContentsAsync());
        var agreement = await LoadAsync(id);
        Assert.Empty(agreement.CurrentRevision.Documents);
        Assert.Equal(1, agreement.Version);
    }

    [Fact]
    public async Task TheApprovalsApi_AndTheAuditExport_ShowTheDocumentHashesEachDecisionWasMadeOn()
    {
        var alex = await Bot.WelcomedChatAsync(Cast.Alex);
        var megan = await Bot.WelcomedChatAsync(Cast.Megan);
        var adele = await Bot.WelcomedChatAsync(Cast.Adele);
        var id = await DraftAsync();
        var first = SampleDocuments.Pdf(3000, seed: 1);
        var second = SampleDocuments.Pdf(3000, seed: 2);
        var (one, two) = ($"Draft:{Sha(first)}", $"Draft:{Sha(second)}");
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(id, first, "draft.pdf")).StatusCode);
        await alex.SendAsync($"agreement submit {id}");
        var (copy, card) = await megan.ExpectCardAsync();
        Assert.Equal(HttpStatusCode.OK, (await megan.ClickAsync(copy.ActivityId, ApprovalVerbs.Approve, Cards.Click(card, ApprovalVerbs.Approve, "Fine."))).Status);
        await adele.ExpectCardAsync();
        // Replaced while Legal decides: the approval restarts on revision 2, and Megan decides again, on the new file.
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(id, second, "draft v2.pdf")).StatusCode);
        var (newCopy, newCard) = await megan.ExpectCardAsync(c => TestConversation.Texts(c).Contains("The documents changed in revision 2", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await megan.ClickAsync(newCopy.ActivityId, ApprovalVerbs.Approve, Cards.Click(newCard, ApprovalVerbs.Approve))).Status);
        long requestId;
        await using (var db = Bot.CreateDbContext())
            requestId = await db.ApprovalRequests.Where(r => r.Subject.Id == id).Select(r => r.Id).SingleAsync();

        // GET /approvals/{id}: what is decided now, and per seat what its decision was made on.
        var request = await ApiCalls.JsonAsync(await ApiCalls.GetAsync(Bot, $"/api/v1/approvals/{requestId}"));
        Assert.Equal(two, request["documentHashes"]!.GetValue<string>());
        var seats = request["stageRuns"]!.AsArray().SelectMany(r => r!["seats"]!.AsArray().Select(s => (Revision: r["revision"]!.GetValue<int>(), Seat: s!))).ToList();
        Assert.Equal([(1, ApiCalls.Megan, one), (2, ApiCalls.Megan, two)],
            seats.Where(s => s.Seat["decision"] is not null).Select(s => (s.Revision, s.Seat["decidedBy"]!.GetValue<string>(), s.Seat["documentHashes"]!.GetValue<string>())));
        Assert.All(seats.Where(s => s.Seat["decision"] is null), s => Assert.Null(s.Seat["documentHashes"]));

        // The audit export: every submission and decision with the hashes it was made on; other lines without.
        var audit = (await ApiCalls.JsonAsync(await ApiCalls.GetAsync(Bot, $"/api/v1/approvals/{requestId}/audit"))).AsArray().Select(e => e!).ToList();
        Assert.Equal([("Submitted", one), ("Approve", one), ("Resubmitted", two), ("Approve", two)],
            audit.Where(e => e["action"]!.GetValue<string>() is "Submitted" or "Resubmitted" or "Approve")
                .Select(e => (e["action"]!.GetValue<string>(), e["documentHashes"]!.GetValue<string>())));
        Assert.All(audit.Where(e => e["action"]!.GetValue<string>() is "StageStarted" or "StageCompleted"), e => Assert.Null(e["documentHashes"]));
        using var csv = await ApiCalls.GetAsync(Bot, $"/api/v1/approvals/{requestId}/audit?format=csv");
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",detail,documentHashes", lines[0], StringComparison.Ordinal);
        Assert.Equal(2, lines.Count(l => l.EndsWith("," + one, StringComparison.Ordinal)));
        Assert.Equal(2, lines.Count(l => l.EndsWith("," + two, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ChatAttachment_FromAnAllowedHost_IsStored_AndTheSameFileAgainChangesNothing()
    {
        var alex = await Bot.WelcomedChatAsync(Cast.Alex);
        var id = await DraftAsync();
        var pdf = SampleDocuments.Pdf(5000);
        var url = Files.Add("draft.pdf", pdf, "application/pdf");
        await SendFileAsync(alex, "document draft", "Contoso draft.pdf", url);   // no name: Alex's one open agreement
        var told = await alex.ExpectMessageAsync();
        Assert.Equal($"Stored Draft 'Contoso draft.pdf' (4.9 KB, sha256 {Sha(pdf)[..12]}) in revision 1 of 'Contoso help desk'.", told.Current.Text);
        Assert.Equal(["/files/draft.pdf"], Files.Requests);
        var agreement = await LoadAsync(id);
        Assert.Equal((Sha(pdf), 5000L), (agreement.CurrentRevision.Documents.Single().Sha256, agreement.CurrentRevision.Documents.Single().SizeBytes));
        Assert.Equal(1, await StoredContentsAsync());

        await SendFileAsync(alex, $"document {id} draft", "Contoso draft.pdf", url);
        Assert.Contains("nothing changed", (await alex.ExpectMessageAsync()).Current.Text, StringComparison.Ordinal);
        Assert.Equal(agreement.Version, (await LoadAsync(id)).Version);
    }

    [Fact]
    public async Task ChatAttachment_FromAHostNotAllowed_IsRefused_WithoutARequestToIt()
    {
        var alex = await Bot.WelcomedChatAsync(Cast.Alex);
        var id = await DraftAsync();
        var url = Files.Add("draft.pdf", SampleDocuments.Pdf()).Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        await SendFileAsync(alex, "document Contoso help desk draft", "draft.pdf", url);
        var (_, card) = await alex.ExpectCardAsync();
        Assert.Contains("I do not download files from localhost: it is not one of the allowed hosts", TestConversation.Texts(card), StringComparison.Ordinal);
        Assert.Contains("document [<agreement>] draft|final", TestConversation.Texts(card), StringComparison.Ordinal);
        Assert.Empty(Files.Requests);
        Assert.Empty((await LoadAsync(id)).CurrentRevision.Documents);
    }

    [Theory]
    [InlineData(FakeFileMode.Honest, "is 64.1 KB; the limit is 64 KB")]
    [InlineData(FakeFileMode.NoLength, "is larger than the limit of 64 KB")]
    public async Task ChatAttachment_OverTheLimit_IsRefused_WhetherTheHostDeclaresTheLengthOrNot_AndNothingIsStored(FakeFileMode mode, string expected)
    {
        var alex = await Bot.WelcomedChatAsync(Cast.Alex);
        var id = await DraftAsync();
        var url = Files.Add("big.pdf", SampleDocuments.Pdf((int)Limit + 100), "application/pdf", mode);
        await SendFileAsync(alex, "document Contoso help desk final", "big.pdf", url);
        var (_, card) = await alex.ExpectCardAsync();
        Assert.Contains(expected, TestConversation.Texts(card), StringComparison.Ordinal);
        Assert.Contains("Nothing was stored", TestConversation.Texts(card), StringComparison.Ordinal);
        Assert.Empty((await LoadAsync(id)).CurrentRevision.Documents);
        Assert.Equal(0, await StoredContentsAsync());
    }

    [Fact]
    public async Task ChatAttachment_OfAForbiddenType_IsRefused_SayingWhatItIs()
    {
        var alex = await Bot.WelcomedChatAsync(Cast.Alex);
        var id = await DraftAsync();
        await SendFileAsync(alex, "document Contoso help desk draft", "budget.xlsx", Files.Add("budget.xlsx", SampleDocuments.Xlsx()));
        var (_, card) = await alex.ExpectCardAsync();
        Assert.Contains("'budget.xlsx' is an Office file that is not a Word document; only PDF or DOCX documents are accepted", TestConversation.Texts(card), StringComparison.Ordinal);
        Assert.Empty((await LoadAsync(id)).CurrentRevision.Documents);
        Assert.Equal(0, await StoredContentsAsync());
    }

    [Fact]
    public async Task ChatCommand_WithoutAFile_OrWithTwoOpenAgreements_AnswersWithTheUsage()
    {
        var alex = await Bot.WelcomedChatAsync(Cast.Alex);
        await DraftAsync();
        await DraftAsync("Fabrikam network");
        await alex.SendAsync("document draft");
        Assert.Contains("Attach the PDF or DOCX file to the message.", TestConversation.Texts((await alex.ExpectCardAsync()).Card), StringComparison.Ordinal);
        await SendFileAsync(alex, "document draft", "d.pdf", Files.Add("d.pdf", SampleDocuments.Pdf()));
        Assert.Contains("You have 2 open agreements", TestConversation.Texts((await alex.ExpectCardAsync()).Card), StringComparison.Ordinal);
        Assert.Empty(Files.Requests);
    }

    [Fact]
    public async Task FolderStore_KeepsTheBytesInTheFolder_NamedByTheirHash_AndServesThemFromThere()
    {
        var folder = Directory.CreateTempSubdirectory("approvalbot-documents-");
        try
        {
            await Bot.DisposeAsync();
            Bot = await StartBotAsync(new Dictionary<string, string?> { ["Agreements:Documents:Store"] = "Folder", ["Agreements:Documents:Folder"] = folder.FullName });
            var id = await DraftAsync();
            var pdf = SampleDocuments.Pdf(9000);
            var created = await ApiCalls.JsonAsync(await UploadMultipartAsync(id, pdf, "draft.pdf", "Draft", "application/pdf"), HttpStatusCode.Created);
            Assert.Equal(("Draft", "draft.pdf"), (created["document"]!["kind"]!.GetValue<string>(), created["document"]!["fileName"]!.GetValue<string>()));
            var sha = Sha(pdf);
            Assert.Equal(pdf, await File.ReadAllBytesAsync(Path.Combine(folder.FullName, sha[..2], sha)));
            Assert.Equal(0, await StoredContentsAsync());
            var content = await ApiCalls.GetAsync(Bot, created["document"]!["contentUrl"]!.GetValue<string>());
            Assert.Equal(pdf, await content.Content.ReadAsByteArrayAsync());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

public sealed class PostgresAgreementDocumentTests(PostgresServerFixture postgres)
    : AgreementDocumentTests(postgres), IClassFixture<PostgresServerFixture>;
