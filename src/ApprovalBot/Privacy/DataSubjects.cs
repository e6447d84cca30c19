using System.Security.Cryptography;
using System.Text;
using ApprovalBot.Domain.Common;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Privacy;

/// <summary>
/// Finds everything the bot may have stored a person under. The address is an Entra object id, an e-mail address or a
/// UPN, as elsewhere in the API; an object id the directory no longer knows (someone who has left, the usual case for
/// an erasure) is still accepted, with the names and Teams ids the bot's own conversation references hold.
/// </summary>
public sealed class DataSubjects(BotDbContext db, TeamsPeople people, IOptions<PrivacyOptions> options)
{
    public const string PseudonymPrefix = "erased-";

    /// <summary>Display names shorter than this are not searched in free text: "Al" would match far too much.</summary>
    public const int MinNameLength = 4;

    /// <returns>The subject, or null when the address is an e-mail or UPN nobody in the directory has.</returns>
    public async Task<DataSubject?> FindAsync(string address, CancellationToken cancellationToken)
    {
        var key = address.Trim();
        if (key.Length == 0 || key.Length > PersonId.MaxLength) return null;
        var person = await people.FindAsync(key, cancellationToken);
        if (person is null && key.Contains('@', StringComparison.Ordinal)) return null;
        var id = person?.Id ?? new PersonId(key);
        var lower = id.Value.ToLowerInvariant();

        var references = (await new PersonalSql(db).QueryAsync(
                "SELECT \"conversation_id\", \"conversation_type\", \"user_id\", \"user_name\" FROM \"conversation_references\" WHERE lower(\"user_aad_object_id\") = {0}",
                [lower], cancellationToken))
            .Select(r => new { ConversationId = (string)r["conversation_id"]!, ConversationType = (string)r["conversation_type"]!, UserId = r["user_id"] as string, UserName = r["user_name"] as string })
            .ToList();

        var teamsIds = references.Select(r => r.UserId).Append(person?.TeamsUserId)
            .OfType<string>().Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var names = references.Select(r => r.UserName).Append(person?.DisplayName)
            .OfType<string>().Where(n => n.Trim().Length >= MinNameLength).Select(n => n.Trim());
        var mentions = new[] { id.Value, person?.Email, person?.UserPrincipalName }
            .Concat(names).Concat(teamsIds)
            .OfType<string>().Where(m => m.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var chats = references.Where(r => string.Equals(r.ConversationType, ConversationTypes.Personal, StringComparison.OrdinalIgnoreCase))
            .Select(r => r.ConversationId).Distinct(StringComparer.Ordinal).ToList();
        return new DataSubject(id, Pseudonym(id), mentions, teamsIds, chats);
    }

    /// <summary>
    /// <c>erased-</c> and the first 12 hex digits of HMAC-SHA256(<see cref="PrivacyOptions.PseudonymKey"/>, the object id in
    /// lower case): stable across erasures, not reversible without the key. Null when no key is configured.
    /// </summary>
    public string? Pseudonym(PersonId id)
    {
        if (string.IsNullOrEmpty(options.Value.PseudonymKey)) return null;
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.PseudonymKey), Encoding.UTF8.GetBytes(id.Value.ToLowerInvariant()));
        return PseudonymPrefix + Convert.ToHexStringLower(mac)[..12];
    }
}
