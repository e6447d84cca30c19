using System.Text;
using System.Text.RegularExpressions;
using ApprovalBot.Protocol.Schema;

namespace ApprovalBot.Protocol.Routing;

/// <summary>
/// Removes the bot's own @mention from message text using the mention entities, never by guessing the markup
/// (bot-protocol.md §1.5): the entity's <c>text</c> is removed wherever it stands (case-insensitive); an entity
/// without text removes <c>&lt;at&gt;name&lt;/at&gt;</c>. Remaining <c>&lt;at&gt;</c> tags of other people keep their
/// inner text, with a space inserted where Teams glued the next word on (<c>&lt;at&gt;Tom&lt;/at&gt;is</c>).
/// </summary>
public static partial class MentionText
{
    public static string StripBotMention(Activity activity)
    {
        var text = activity.Text ?? "";
        var botId = activity.Recipient?.Id;
        if (activity.Entities is not null && !string.IsNullOrEmpty(botId))
        {
            foreach (var entity in activity.Entities)
            {
                if (!string.Equals(entity.Type, "mention", StringComparison.OrdinalIgnoreCase)) continue;
                var mentioned = entity.GetMentioned();
                if (mentioned is null || !string.Equals(mentioned.Id, botId, StringComparison.OrdinalIgnoreCase)) continue;
                var markup = entity.GetString("text");
                if (string.IsNullOrEmpty(markup))
                    markup = string.IsNullOrEmpty(mentioned.Name) ? null : $"<at>{mentioned.Name}</at>";
                if (markup is not null)
                    text = RemoveAll(text, markup);
            }
        }
        return NormalizeRemainingTags(text).Trim();
    }

    private static string RemoveAll(string text, string markup)
    {
        int index;
        while ((index = text.IndexOf(markup, StringComparison.OrdinalIgnoreCase)) >= 0)
            text = string.Concat(text.AsSpan(0, index), " ", text.AsSpan(index + markup.Length));
        return text;
    }

    private static string NormalizeRemainingTags(string text)
    {
        if (!text.Contains("<at", StringComparison.OrdinalIgnoreCase)) return CollapseSpaces(text);
        var result = AtOpenTag().Replace(text, "");
        result = AtCloseTag().Replace(result, m =>
        {
            var next = m.Index + m.Length < result.Length ? result[m.Index + m.Length] : ' ';
            return char.IsWhiteSpace(next) ? "" : " ";
        });
        return CollapseSpaces(result);
    }

    private static string CollapseSpaces(string text)
    {
        var builder = new StringBuilder(text.Length);
        var lastWasSpace = false;
        foreach (var c in text)
        {
            var isSpace = c is ' ' or '\t' or '\u00A0';
            if (isSpace && lastWasSpace) continue;
            builder.Append(isSpace ? ' ' : c);
            lastWasSpace = isSpace;
        }
        return builder.ToString();
    }

    [GeneratedRegex("<at(\\s[^>]*)?>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex AtOpenTag();

    [GeneratedRegex("</at>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex AtCloseTag();
}
