namespace ApprovalBot.Teams.Cards;

/// <summary>
/// A card template is malformed, uses syntax this binder does not support, or met data it cannot bind. The message
/// names the template, where in it, and the expression.
/// </summary>
public sealed class CardTemplateException : Exception
{
    public CardTemplateException(string templateName, string? expression, string message)
        : base(message)
    {
        TemplateName = templateName;
        Expression = expression;
    }

    public CardTemplateException(string templateName, string? expression, string message, Exception innerException)
        : base(message, innerException)
    {
        TemplateName = templateName;
        Expression = expression;
    }

    public CardTemplateException()
        : this(string.Empty, null, "Card template error.")
    {
    }

    public CardTemplateException(string message)
        : this(string.Empty, null, message)
    {
    }

    public CardTemplateException(string message, Exception innerException)
        : this(string.Empty, null, message, innerException)
    {
    }

    /// <summary>The template's name (for example <c>welcome</c>).</summary>
    public string TemplateName { get; }

    /// <summary>The expression at fault, without <c>${ }</c>, when there is one.</summary>
    public string? Expression { get; }
}
