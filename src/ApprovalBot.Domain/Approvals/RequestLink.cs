using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Approvals;

/// <summary>A link to a document the approvers should read: a title and an absolute https URL without credentials.</summary>
public sealed record RequestLink
{
    public const int MaxUrlLength = 2000;

    public RequestLink(string title, string url)
    {
        Title = Guard.RequiredText(title, "A link title", 200);
        var trimmed = Guard.RequiredText(url, "A link URL", MaxUrlLength);
        Guard.That(
            Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && !string.IsNullOrEmpty(uri.Host),
            "link.invalid", $"The link '{Title}' must be an absolute https URL.");
        Guard.That(string.IsNullOrEmpty(uri!.UserInfo), "link.invalid", $"The link '{Title}' must not carry credentials.");
        Url = uri.AbsoluteUri;
    }

    public string Title { get; }

    /// <summary>The normalised absolute URL.</summary>
    public string Url { get; }
}
