using System.Text.Json.Nodes;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Escalations.Cards;

/// <summary>
/// Renders the escalation card (one template, a copy per viewer) through the one <see cref="CardRenderer"/>. The data
/// comes from <see cref="EscalationCardModel"/>, whose caps keep the card under the renderer's size budget.
/// </summary>
public sealed class EscalationCards(CardRenderer renderer)
{
    /// <summary>Template <c>cards/escalation.json</c>; data <see cref="EscalationCardData"/>.</summary>
    public const string Template = CardTemplates.Escalation;

    /// <summary>
    /// The card for <see cref="EscalationCardContext.Viewer"/> (or the shared copy). The model keeps it within the
    /// budget by its estimate; should the renderer still measure it over (text full of <c>{{</c>), the card is built
    /// again with the next tighter caps.
    /// </summary>
    public JsonObject Render(EscalationCardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return renderer.Render(Template, EscalationCardModel.Build(context));
        }
        catch (CardTooLargeException)
        {
            var levels = EscalationCardLimits.Levels;
            for (var i = 1; ; i++)
            {
                try
                {
                    return renderer.Render(Template, EscalationCardModel.Build(context, levels[i]));
                }
                catch (CardTooLargeException) when (i < levels.Count - 1)
                {
                    // Still too many bytes: the next level is tighter.
                }
            }
        }
    }

    /// <summary>
    /// The list card: <paramref name="escalations"/> (already most urgent first) under <paramref name="title"/>, at most
    /// <see cref="EscalationListModel.MaxRows"/> rows and "and N more". Should the card still measure over the budget
    /// (text full of multi-byte characters), it is built again with half the rows.
    /// </summary>
    public JsonObject RenderList(string title, IReadOnlyList<Escalation> escalations, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(escalations);
        return renderer.RenderShrinking(CardTemplates.EscalationList, EscalationListModel.MaxRows, 1, rows => EscalationListModel.Build(title, escalations, now, rows));
    }

    /// <summary>The satisfaction survey card (or its thank-you); built by <c>EscalationMessages.SurveyCardAsync</c>.</summary>
    public JsonObject RenderSurvey(EscalationSurveyCardData data) => renderer.Render(CardTemplates.EscalationSurvey, data);

    /// <summary>The "who to call" card of an agreement (<see cref="EscalationWhoModel"/>).</summary>
    public JsonObject RenderWho(EscalationWhoCardData data) => renderer.Render(CardTemplates.EscalationWho, data);
}
