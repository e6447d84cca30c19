using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ApprovalBot.Agreements.Announcement;
using ApprovalBot.Agreements.Negotiation;
using ApprovalBot.Agreements.Signing;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Breaches.Cards;
using ApprovalBot.Digests.Subscriptions;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Breaches;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Digests;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Digests;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.IntegrationTests.Kpis;
using ApprovalBot.Operations;
using ApprovalBot.Privacy;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.IntegrationTests.Privacy;

/// <summary>
/// <c>GET /api/v1/people/{id}/export</c> and <c>POST /api/v1/people/{id}/erasure</c> through the real endpoint with the
/// test API keys: Alex has talked to the bot, subscribed to a digest and received one, reported, acknowledged, resolved
/// and rated escalations, asked for an approval and has one waiting for his decision, oversees the agreement and appears
/// in an operator's audit line; and in the agreements' later life: he reported, acknowledged and closed a data breach,
/// was refused a termination, uploaded a contract, negotiated it for the provider (asked for changes, then accepted),
/// scheduled its signing meeting, signed it and acknowledged its announcement. The export lists all of it; the erasure
/// leaves none of his keys in any table of the model, one pseudonymous audit record, his digest timer cancelled, the
/// other people's parts of the same records as they were, and the KPIs as they were.
/// </summary>
public abstract partial class PersonalDataTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private const string PseudonymKey = "test-pseudonym-key-0123456789abcdef";
    private EscalationTestBed _bed = null!;
    private long _agreement;

    private protected abstract Task<ITestDatabase> DatabaseAsync();

    internal static readonly string[] AlexKeys = [Cast.Alex.AadObjectId, Cast.Alex.Name, "alexw@example.com", Cast.Alex.Id];

    /// <summary>The tables of the agreement's later life (<c>AgreementLifecyclePersonalData</c>), each written by <see cref="AlexInTheAgreementsLaterLifeAsync"/>.</summary>
    private static readonly string[] LifecycleTables =
    [
        "data_breaches", "data_breach_events", "announcement_acks", "agreement_events", "agreement_documents", "agreement_signatures",
        "agreement_negotiation_rounds", "signing_meetings",
    ];

    /// <summary>Tables the export must list rows of, besides <see cref="LifecycleTables"/>.</summary>
    private static readonly string[] ExportedTables =
    [
        "conversation_references", "processed_activities", "outbox_messages", "approval_requests", "approval_stage_seats",
        "approval_audit", "agreement_revisions", "escalations", "escalation_timeline", "escalation_survey_answers",
        "digest_subscriptions", "digest_deliveries", "operations_audit",
    ];

    private const string ItChannel = "19:it@thread.tacv2";
    private const string SecondAgreement = "Fabrikam field service";

    /// <summary>The agreement's data-protection terms: Alex is our contact (in Teams); the provider's has an e-mail only.</summary>
    private static readonly DataProtectionTerms AlexProtectsData = new(
        [new ContactPoint("Alex Wilber", new PersonId(Cast.Alex.AadObjectId), "alexw@example.com", role: "Data protection officer")],
        [new ContactPoint("Priya Privacy", email: "privacy@contoso.example", phone: "+1 555 0199", role: "Data protection officer")],
        TimeSpan.FromHours(72));

    public async Task InitializeAsync()
    {
        var settings = ApiTestKeys.Settings();
        settings["Approvals:TimeZone"] = "Europe/Berlin";
        settings["Privacy:PseudonymKey"] = PseudonymKey;
        // Agreements approved on the agreement flow are signed by Alex, and announced in the IT channel.
        settings[$"Agreements:Signing:Signatories:{BuiltInFlows.AgreementFlowName}"] = $"people:{Cast.Alex.AadObjectId}";
        settings["Agreements:Announcement:Channels:0:Department"] = "IT";
        settings["Agreements:Announcement:Channels:0:ChannelId"] = ItChannel;
        _bed = await EscalationTestBed.StartAsync(await DatabaseAsync(), Monday10, settings);
        _agreement = await EscalationAgreements.ActiveAsync(_bed.Bot.Database, Monday10, [Cast.Alex], dataProtection: AlexProtectsData);
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [GeneratedRegex("^erased-[0-9a-f]{12}$")]
    private static partial Regex PseudonymPattern();

    private async Task<(long AlexAsks, long AlexDecides, long Subscription)> AlexEverywhereAsync()
    {
        await KpiTestBed.ThreeEscalationsAsync(_bed, _agreement, Monday10);
        var alex = await _bed.ChatWithAsync(Cast.Alex);
        // The unacknowledged P1's timers may still be telling Alex about it; the confirmation is the reply that matters.
        await alex.SayAsync("digest daily 08:00", "Subscribed");

        using var asks = await ApiCalls.PostAsync(_bed.Bot, "/api/v1/approvals", new JsonObject
        {
            ["requester"] = "alexw@example.com",
            ["title"] = "New laptop for Alex Wilber",
            ["details"] = "My old one broke.",
            ["approvers"] = new JsonArray(ApiCalls.Megan),
        });
        var alexAsks = (await ApiCalls.JsonAsync(asks, HttpStatusCode.Created))["id"]!.GetValue<long>();
        using var decides = await ApiCalls.PostAsync(_bed.Bot, "/api/v1/approvals", new JsonObject
        {
            ["requester"] = ApiCalls.Megan,
            ["title"] = "Budget for the team offsite",
            ["details"] = "Two days in March.",
            ["approvers"] = new JsonArray(ApiCalls.Alex),
        });
        var alexDecides = (await ApiCalls.JsonAsync(decides, HttpStatusCode.Created))["id"]!.GetValue<long>();

        await using (var db = _bed.Bot.CreateDbContext())
        {
            db.OperationsAudit.Add(OperationsAuditEntry.Record(_bed.Clock.GetUtcNow(), "Alex Wilber (alexw@example.com)", "timer.retry", "timer escalation/1", true, null));
            await db.SaveChangesAsync();
        }

        // The digest is due Tuesday 08:00 Berlin; it lists Alex's own escalations.
        // (The clock is set, not jumped after the outbox settles: a send to Alex's chat may be waiting out a throttle on it.)
        _bed.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 24, 6, 59, 59, TimeSpan.Zero));
        await alex.ExpectCardWhileTickingAsync(_bed.Clock, DigestTestBed.IsDigest);
        var subscription = (await _bed.SubscriptionAsync(DigestRecipientKind.Person, Cast.Alex.AadObjectId))!;
        await _bed.DigestTimerFollowingAsync(subscription);
        await _bed.Clock.TickUntilAsync(async () =>
        {
            await using var db = _bed.Bot.CreateDbContext();
            return !await db.OutboxMessages.AnyAsync(m => m.Status == ApprovalBot.Teams.Outbox.OutboxStatus.Pending);
        }, () => "the outbox still has pending messages");
        return (alexAsks, alexDecides, subscription.Id);
    }

    /// <summary>
    /// The agreements' later life, through the bot's own paths (chat commands, card clicks, the API): Alex reports a data
    /// breach (its summary names him), acknowledges it as our data-protection contact and closes it with a note; asks to
    /// terminate the agreement for a reason it does not accept (a refused agreement event, him the actor); uploads the
    /// final contract of a second agreement he drafted (its file name names him), submits it, and once Megan, Legal and
    /// Management approved, signs it by typing his name in lower case; it comes into force and is announced in the IT
    /// channel, where he acknowledges it. Returns the breach and the signed agreement.
    /// On the way to the signatures the second agreement is negotiated and its signing meeting planned: its communication
    /// plan names Alex (seconded to the provider) and Lynne as the provider's contacts, so after Legal's approval both get
    /// the negotiation card; Alex asks for changes with a comment that names him, Legal approves revision 2 and he accepts
    /// round 2. Once it awaits signatures he schedules the signing meeting with notes that name him (he is its attendee,
    /// the signatory), and Patti (Management) moves it.
    /// </summary>
    private async Task<(long Breach, long Signed)> AlexInTheAgreementsLaterLifeAsync()
    {
        var clock = _bed.Clock;
        var alex = _bed.Bot.PersonalChat(Cast.Alex);   // installed by AlexEverywhereAsync; earlier messages are passed over by the predicates
        var it = _bed.Bot.Channel(Cast.Isaiah, ItChannel);
        await it.InstallAsync();
        await it.ExpectMessageAsync();
        var megan = await _bed.ChatWithAsync(Cast.Megan);
        var adele = await _bed.ChatWithAsync(Cast.Adele);
        var patti = await _bed.ChatWithAsync(Cast.Patti);
        var lynne = await _bed.ChatWithAsync(Cast.Lynne);

        await alex.SendAsync("breach Contoso help desk Laptop with customer records stolen from Alex Wilber's car");
        var (incident, incidentCard) = await alex.ExpectCardWhileTickingAsync(clock, c => Cards.Verbs(c).Contains(BreachVerbs.Acknowledge));
        var acknowledged = await alex.ClickAsync(incident.ActivityId, BreachVerbs.Acknowledge, Cards.Click(incidentCard, BreachVerbs.Acknowledge));
        Assert.Contains("Acknowledged at", TestConversation.Texts(acknowledged.Card), StringComparison.Ordinal);
        long breach;
        await using (var db = _bed.Bot.CreateDbContext())
            breach = await db.DataBreaches.AsNoTracking().Select(b => b.Id).SingleAsync();
        await alex.SendAsync($"breach close B-{breach} Alex Wilber told the provider's officer; no notification needed");
        await alex.ExpectCardWhileTickingAsync(clock, c => TestConversation.Texts(c).Contains($"Closed: the notification clock of B-{breach} stopped", StringComparison.Ordinal));

        await alex.SendAsync("terminate Contoso help desk We felt like it");
        await alex.ExpectCardWhileTickingAsync(clock, c => TestConversation.Texts(c).Contains("is not one of the termination reasons", StringComparison.Ordinal));

        long signed;
        await using (var db = _bed.Bot.CreateDbContext())
        {
            var terms = SampleTerms.CompleteAt(clock.GetUtcNow());
            var plan = terms.CommunicationPlan!;
            terms = terms with
            {
                OversightOwners = [new(Cast.Alex.AadObjectId)],
                CommunicationPlan = new CommunicationPlan(plan.OurContacts,
                    [
                        new ContactPoint("Alex Wilber", new PersonId(Cast.Alex.AadObjectId), role: "Account manager (seconded)"),
                        new ContactPoint("Lynne Robbins", new PersonId(Cast.Lynne.AadObjectId), role: "Account manager"),
                    ],
                    plan.UpdateCadence, plan.UpdatesGoTo, plan.ReviewCadence),
            };
            var draft = Agreement.CreateDraft(SecondAgreement, terms, new(Cast.Alex.AadObjectId), clock.GetUtcNow());
            db.Agreements.Add(draft);
            await db.SaveChangesAsync();
            signed = draft.Id;
        }
        var fileName = Uri.EscapeDataString("Fabrikam contract from Alex Wilber.pdf");
        using (var upload = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/agreements/{signed}/documents?kind=FinalContract&by={Uri.EscapeDataString("alexw@example.com")}&fileName={fileName}"))
        {
            upload.Headers.TryAddWithoutValidation("X-Api-Key", ApiTestKeys.Writer);
            upload.Content = new ByteArrayContent(SampleDocuments.Pdf(3000, seed: 7));
            upload.Content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            using var uploaded = await _bed.Bot.Http.SendAsync(upload);
            await ApiCalls.JsonAsync(uploaded, HttpStatusCode.Created);
        }
        Assert.Equal(HttpStatusCode.OK, (await alex.SendAsync($"agreement submit {signed}")).Status);
        await ApproveSecondAgreementAsync(megan);
        await ApproveSecondAgreementAsync(adele);

        // Legal approved: the provider's contacts get the negotiation card. Alex asks for changes; revision 2 goes back to Legal.
        static bool IsNegotiation(JsonObject c) => Cards.Verbs(c).Contains(NegotiationVerbs.Accept) && TestConversation.Texts(c).Contains(SecondAgreement, StringComparison.Ordinal);
        var (round1, round1Card) = await alex.ExpectCardWhileTickingAsync(clock, IsNegotiation);
        await lynne.ExpectCardWhileTickingAsync(clock, IsNegotiation);
        var changes = await alex.ClickAsync(round1.ActivityId, NegotiationVerbs.RequestChanges,
            Cards.Click(round1Card, NegotiationVerbs.RequestChanges, comment: "Alex Wilber needs the P1 response target at 30 minutes."));
        Assert.Contains("Your change request is recorded", TestConversation.Texts(changes.Card), StringComparison.Ordinal);
        await ApproveSecondAgreementAsync(adele);
        var (round2, round2Card) = await alex.ExpectCardWhileTickingAsync(clock, IsNegotiation);
        var agreed = await alex.ClickAsync(round2.ActivityId, NegotiationVerbs.Accept, Cards.Click(round2Card, NegotiationVerbs.Accept));
        Assert.Contains("agreed upon", TestConversation.Texts(agreed.Card), StringComparison.Ordinal);
        await ApproveSecondAgreementAsync(patti);

        // It awaits Alex's signature: he schedules the signing meeting (the notes name him), and Patti moves it.
        var (signing, signingCard) = await alex.ExpectCardWhileTickingAsync(clock, c => Cards.Verbs(c).Contains(SigningVerbs.Sign));
        await alex.SendAsync($"signing meeting {SecondAgreement} 2026-12-10 14:00 1h Alex Wilber brings the signed originals to board room 2");
        await alex.ExpectCardWhileTickingAsync(clock,
            c => TestConversation.Texts(c).Contains($"Scheduled the signing meeting of {SecondAgreement} for 2026-12-10 14:00 (Europe/Berlin)", StringComparison.Ordinal));
        await patti.SendAsync($"signing meeting {SecondAgreement} 2026-12-11 09:30");
        await patti.ExpectCardWhileTickingAsync(clock,
            c => TestConversation.Texts(c).Contains($"Moved the signing meeting of {SecondAgreement} to 2026-12-11 09:30 (Europe/Berlin)", StringComparison.Ordinal));
        await alex.ExpectCardWhileTickingAsync(clock,
            c => TestConversation.Texts(c).Contains($"Patti Fernandez moved the signing meeting of {SecondAgreement}", StringComparison.Ordinal));
        var signature = Cards.Click(signingCard, SigningVerbs.Sign);
        signature[SigningVerbs.TypedNameInput] = "alex wilber";
        var signedAnswer = await alex.ClickAsync(signing.ActivityId, SigningVerbs.Sign, signature);
        Assert.Contains("is now Active", TestConversation.Texts(signedAnswer.Card), StringComparison.Ordinal);

        var (post, announcement) = await it.ExpectCardWhileTickingAsync(clock,
            c => Cards.Verbs(c).Contains(AnnouncementVerbs.Acknowledge) && TestConversation.Texts(c).Contains(SecondAgreement, StringComparison.Ordinal));
        var acked = await it.ClickAsync(post.ActivityId, AnnouncementVerbs.Acknowledge, Cards.Click(announcement, AnnouncementVerbs.Acknowledge), Cast.Alex);
        Assert.Contains("Alex Wilber (IT)", TestConversation.Texts(acked.Card), StringComparison.Ordinal);

        await clock.TickUntilAsync(async () =>
        {
            await using var db = _bed.Bot.CreateDbContext();
            return !await db.OutboxMessages.AnyAsync(m => m.Status == ApprovalBot.Teams.Outbox.OutboxStatus.Pending);
        }, () => "the outbox still has pending messages");
        return (breach, signed);

        async Task ApproveSecondAgreementAsync(TestConversation approver)
        {
            var (message, card) = await approver.ExpectCardWhileTickingAsync(clock,
                c => Cards.Verbs(c).Contains(ApprovalVerbs.Approve) && TestConversation.Texts(c).Contains(SecondAgreement, StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.OK, (await approver.ClickAsync(message.ActivityId, ApprovalVerbs.Approve, Cards.Click(card, ApprovalVerbs.Approve))).Status);
        }
    }

    private async Task<JsonNode> ExportAsync(string id)
    {
        using var response = await ApiCalls.GetAsync(_bed.Bot, $"/api/v1/people/{Uri.EscapeDataString(id)}/export", ApiTestKeys.Admin);
        return await ApiCalls.JsonAsync(response);
    }

    private static IEnumerable<JsonNode> ExportRows(JsonNode export, string table) =>
        export["tables"]!.AsArray().Where(t => t!["table"]!.GetValue<string>() == table).SelectMany(t => t!["rows"]!.AsArray()).Select(r => r!);

    private static Dictionary<string, int> RowsPerTable(JsonNode export) =>
        export["tables"]!.AsArray().ToDictionary(t => t!["table"]!.GetValue<string>(), t => t!["rows"]!.AsArray().Count);

    private async Task<HttpResponseMessage> EraseAsync(string id, string? reason, string key = ApiTestKeys.Admin)
    {
        var body = new JsonObject { ["reason"] = reason };
        return await ApiCalls.PostAsync(_bed.Bot, $"/api/v1/people/{Uri.EscapeDataString(id)}/erasure", body, key);
    }

    private async Task<string> KpisAsync()
    {
        using var response = await ApiCalls.GetAsync(_bed.Bot, $"/api/v1/kpis?agreementId={_agreement}&period=2026-11");
        return KpiJson.Comparable(await ApiCalls.JsonAsync(response));
    }

    [Fact]
    public async Task Export_ListsThePersonInEveryTable_ErasureLeavesNoneOfTheirKeys_OnePseudonymousAudit_TimerCancelled_KpisUnchanged()
    {
        var (alexAsks, alexDecides, subscription) = await AlexEverywhereAsync();
        var (breach, signed) = await AlexInTheAgreementsLaterLifeAsync();
        Assert.NotNull(await _bed.DigestTimerAsync(subscription));

        // Each table of the agreements' later life holds a row that names him (else the scan below would prove nothing there).
        var stored = await PersonalDataScan.FindAsync(_bed.Bot, AlexKeys);
        foreach (var table in LifecycleTables)
            Assert.True(stored.Any(f => f.StartsWith(table + ".", StringComparison.Ordinal)), $"No {table} row names Alex: the scenario no longer writes there.");

        var export = await ExportAsync("alexw@example.com");
        var rows = RowsPerTable(export);
        foreach (var table in ExportedTables.Concat(LifecycleTables))
        {
            Assert.True(rows.GetValueOrDefault(table) > 0, $"The export has no {table} rows: {string.Join(", ", rows.Select(r => $"{r.Key}={r.Value}"))}");
        }
        Assert.Equal(Cast.Alex.AadObjectId, export["person"]!.GetValue<string>());
        Assert.Contains("Restarted the relay.", export.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(ExportRows(export, "agreement_negotiation_rounds"),
            r => r["comment"]?.GetValue<string>() == "Alex Wilber needs the P1 response target at 30 minutes.");
        Assert.Equal(2, ExportRows(export, "agreement_negotiation_rounds").Count(r => r["decided_by"]?.GetValue<string>() == Cast.Alex.AadObjectId));
        Assert.Contains(ExportRows(export, "signing_meetings"),
            r => r["notes"]?.GetValue<string>() == "Alex Wilber brings the signed originals to board room 2" && r["scheduled_by"]?.GetValue<string>() == Cast.Alex.AadObjectId);
        Assert.NotEmpty(await PersonalDataScan.FindAsync(_bed.Bot, AlexKeys));

        var otherEscalation = await _bed.OpenAsync(_agreement, Domain.Agreements.Priority.P3, "Printer jam", Cast.Megan);
        await using (var db = _bed.Bot.CreateDbContext())
        {
            foreach (var id in await db.Escalations.Select(e => e.Id).ToListAsync())
                await _bed.WaitUntilNothingDueAsync(id);
        }
        var kpis = await KpisAsync();
        var before = await PersonalDataScan.FindAsync(_bed.Bot, AlexKeys);
        var (approvalsBefore, escalationsBefore) = (await TotalAsync("/api/v1/approvals"), await TotalAsync("/api/v1/escalations"));

        // Not the admin role: refused, nothing changed, nothing audited.
        using (var refused = await EraseAsync(Cast.Alex.AadObjectId, "Left the company", ApiTestKeys.Writer))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using (var refusedExport = await ApiCalls.GetAsync(_bed.Bot, $"/api/v1/people/{Cast.Alex.AadObjectId}/export", ApiTestKeys.Reader))
            Assert.Equal(HttpStatusCode.Forbidden, refusedExport.StatusCode);
        Assert.Equal(before, await PersonalDataScan.FindAsync(_bed.Bot, AlexKeys));
        Assert.Empty(await AuditAsync(ErasePersonalData.AuditAction));

        // A reason is required.
        using (var noReason = await EraseAsync(Cast.Alex.AadObjectId, " "))
            await ApiCalls.JsonAsync(noReason, HttpStatusCode.BadRequest);

        using var erased = await EraseAsync(Cast.Alex.AadObjectId, "Left the company; Alex Wilber asked on 1 Dec");
        var result = await ApiCalls.JsonAsync(erased);

        var pseudonym = result["pseudonym"]!.GetValue<string>();
        Assert.Matches(PseudonymPattern(), pseudonym);
        var mac = System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(PseudonymKey), System.Text.Encoding.UTF8.GetBytes(Cast.Alex.AadObjectId.ToLowerInvariant()));
        Assert.Equal("erased-" + Convert.ToHexStringLower(mac)[..12], pseudonym);
        Assert.Equal([alexDecides], result["awaitingDecision"]!.AsArray().Select(n => n!.GetValue<long>()));
        Assert.True(result["total"]!.GetValue<int>() > 0);
        Assert.Empty(await PersonalDataScan.FindAsync(_bed.Bot, AlexKeys));

        var audit = Assert.Single(await AuditAsync(ErasePersonalData.AuditAction));
        Assert.Equal(("api:ops", pseudonym, "done"), (audit.Actor, audit.Target, audit.Outcome));
        var detail = JsonNode.Parse(audit.Detail!)!;
        Assert.Equal($"Left the company; {pseudonym} asked on 1 Dec", detail["Reason"]!.GetValue<string>());
        Assert.True(detail["Counts"]!["escalations"]!.GetValue<int>() >= 3);
        Assert.Equal(result["counts"]!["escalations"]!.GetValue<int>(), detail["Counts"]!["escalations"]!.GetValue<int>());
        foreach (var table in LifecycleTables)
            Assert.True(detail["Counts"]![table]?.GetValue<int>() > 0, $"The erasure's audit counts no {table} rows: {detail["Counts"]!.ToJsonString()}");
        await AssertLaterLifeNamesAsync(pseudonym, breach, signed);

        Assert.Null(await _bed.DigestTimerAsync(subscription));
        Assert.Null(await _bed.SubscriptionAsync(DigestRecipientKind.Person, Cast.Alex.AadObjectId));
        Assert.Equal(kpis, await KpisAsync());

        // The rest still works: listings, the other people's records, a new escalation.
        Assert.Equal((approvalsBefore, escalationsBefore), (await TotalAsync("/api/v1/approvals"), await TotalAsync("/api/v1/escalations")));
        using (var asked = await ApiCalls.GetAsync(_bed.Bot, $"/api/v1/approvals/{alexAsks}"))
            Assert.Equal(pseudonym, (await ApiCalls.JsonAsync(asked))["requester"]!.GetValue<string>());
        Assert.Equal("Printer jam", (await _bed.LoadAsync(otherEscalation.Id)).Title);

        var afterwards = await ExportAsync(Cast.Alex.AadObjectId);
        Assert.All(afterwards["tables"]!.AsArray(), t => Assert.Empty(t!["rows"]!.AsArray()));

        // A second erasure finds nothing, gives the same pseudonym and records that it changed nothing.
        using var again = await EraseAsync("alexw@example.com", "Asked twice");
        var second = await ApiCalls.JsonAsync(again);
        Assert.Equal((pseudonym, 0), (second["pseudonym"]!.GetValue<string>(), second["total"]!.GetValue<int>()));
        Assert.Equal(2, (await AuditAsync(ErasePersonalData.AuditAction)).Count);
        Assert.Equal(kpis, await KpisAsync());
    }

    /// <summary>The records of the agreements' later life are kept, and every place that named Alex names the pseudonym: they stay linked.</summary>
    private async Task AssertLaterLifeNamesAsync(string pseudonym, long breach, long signed)
    {
        var erased = new PersonId(pseudonym);
        await using var db = _bed.Bot.CreateDbContext();
        var incident = await db.DataBreaches.AsNoTracking().SingleAsync(b => b.Id == breach);
        Assert.Equal((erased, erased, BreachState.Closed), (incident.ReportedBy, incident.ClosedBy!.Value, incident.State));
        Assert.Equal([erased], incident.Events.Where(e => e.Kind == BreachEventKind.Acknowledged).Select(e => e.Actor!.Value));
        Assert.Contains(pseudonym, incident.Summary, StringComparison.Ordinal);
        Assert.Contains(pseudonym, incident.CloseNote!, StringComparison.Ordinal);

        var agreement = await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == signed);
        Assert.Equal(AgreementStatus.Active, agreement.Status);
        var signature = Assert.Single(agreement.SigningEvents);
        Assert.Equal((erased, pseudonym), (signature.Signer, signature.TypedName));   // typed "alex wilber": his name in his spelling, gone whole
        var document = Assert.Single(agreement.CurrentRevision.Documents);
        Assert.Equal((erased, $"Fabrikam contract from {pseudonym}.pdf"), (document.UploadedBy, document.FileName));
        var announced = await db.AgreementAnnouncements.AsNoTracking().SingleAsync(a => a.AgreementId == signed);
        Assert.Equal(erased, Assert.Single(announced.Acknowledgements).By);
        Assert.Contains(await db.AgreementEvents.AsNoTracking().Where(e => e.AgreementId == _agreement && e.Kind == AgreementEventKind.Refused).Select(e => e.Actor).ToListAsync(),
            actor => actor == erased);

        // The negotiation: both rounds answered by him, his comment, his place among the negotiators; Lynne's kept.
        var lynne = new PersonId(Cast.Lynne.AadObjectId);
        Assert.Equal([(NegotiationOutcome.ChangesRequested, erased), (NegotiationOutcome.Accepted, erased)],
            agreement.NegotiationRounds.Select(r => (r.Outcome!.Value, r.DecidedBy!.Value)));
        Assert.All(agreement.NegotiationRounds, r => Assert.Equal([erased, lynne], r.Negotiators));
        Assert.Equal($"{pseudonym} needs the P1 response target at 30 minutes.", agreement.NegotiationRounds[0].Comment);
        var sent = await db.AgreementEvents.AsNoTracking().Where(e => e.AgreementId == signed && e.Kind == AgreementEventKind.SentToProvider).Select(e => e.Detail).ToListAsync();
        Assert.Equal(2, sent.Count);
        Assert.All(sent, detail => Assert.Contains($"({pseudonym}, {Cast.Lynne.AadObjectId})", detail ?? "", StringComparison.Ordinal));

        // The signing meeting: he scheduled it and attends it, his notes and file name; Patti moved it, and that stays hers.
        var meeting = await db.SigningMeetings.AsNoTracking().SingleAsync(m => m.AgreementId == signed);
        Assert.Equal((erased, new PersonId(Cast.Patti.AadObjectId)), (meeting.ScheduledBy, meeting.ChangedBy));
        Assert.Equal([erased], meeting.Attendees);
        Assert.Equal(($"{pseudonym} brings the signed originals to board room 2", $"Fabrikam contract from {pseudonym}.pdf"), (meeting.Notes, meeting.DocumentName));
        Assert.Equal(new DateTimeOffset(2026, 12, 11, 8, 30, 0, TimeSpan.Zero), meeting.StartsAt);   // 09:30 in Berlin, as Patti moved it

        using var read = await ApiCalls.GetAsync(_bed.Bot, $"/api/v1/breaches/{breach}");
        var shown = await ApiCalls.JsonAsync(read);
        Assert.Equal((pseudonym, pseudonym), (shown["reportedBy"]!.GetValue<string>(), shown["closedBy"]!.GetValue<string>()));
    }

    private async Task<int> TotalAsync(string path)
    {
        using var response = await ApiCalls.GetAsync(_bed.Bot, path);
        return (await ApiCalls.JsonAsync(response))["total"]!.GetValue<int>();
    }

    private async Task<List<OperationsAuditEntry>> AuditAsync(string action)
    {
        await using var db = _bed.Bot.CreateDbContext();
        return await db.OperationsAudit.AsNoTracking().Where(a => a.Action == action).OrderBy(a => a.Id).ToListAsync();
    }
}

public sealed class SqlitePersonalDataTests : PersonalDataTests
{
    private protected override async Task<ITestDatabase> DatabaseAsync() => await new SqliteTestDatabases().CreateDatabaseAsync();
}

public sealed class PostgresPersonalDataTests(PostgresServerFixture postgres) : PersonalDataTests, IClassFixture<PostgresServerFixture>
{
    private protected override async Task<ITestDatabase> DatabaseAsync() => await postgres.CreateDatabaseAsync();
}

/// <summary>Erasure without <c>Privacy:PseudonymKey</c>, and an address nobody has.</summary>
public sealed class PersonalDataRefusalTests
{
    [Fact]
    public async Task Erasure_IsRefusedWith503AndChangesNothing_WithoutAPseudonymKey_AndUnknownAddressesAre404()
    {
        await using var bed = await EscalationTestBed.StartAsync(await new SqliteTestDatabases().CreateDatabaseAsync(), new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), ApiTestKeys.Settings());
        await bed.ChatWithAsync(Cast.Alex);

        using var refused = await ApiCalls.PostAsync(bed.Bot, $"/api/v1/people/{Cast.Alex.AadObjectId}/erasure", new JsonObject { ["reason"] = "x" }, ApiTestKeys.Admin);
        await ApiCalls.JsonAsync(refused, HttpStatusCode.ServiceUnavailable);
        Assert.NotEmpty(await PersonalDataScan.FindAsync(bed.Bot, PersonalDataTests.AlexKeys));

        using var unknown = await ApiCalls.GetAsync(bed.Bot, "/api/v1/people/nobody@example.com/export", ApiTestKeys.Admin);
        await ApiCalls.JsonAsync(unknown, HttpStatusCode.NotFound);
    }

}
