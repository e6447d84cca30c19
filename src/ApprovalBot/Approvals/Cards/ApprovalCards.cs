using System.Text.Json.Nodes;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Approvals.Cards;

/// <summary>
/// Renders the approval card (one template, a copy per viewer) and the approvals list through the one
/// <see cref="CardRenderer"/>. The data comes from <see cref="ApprovalCardModel"/>, whose caps keep the card under the
/// renderer's size budget.
/// </summary>
public sealed class ApprovalCards(CardRenderer renderer)
{
    /// <summary>Template <c>cards/approval.json</c>; data <see cref="ApprovalCardData"/>.</summary>
    public const string ApprovalTemplate = CardTemplates.Approval;

    /// <summary>Template <c>cards/approval-list.json</c>; data <see cref="ApprovalListCardData"/>.</summary>
    public const string ListTemplate = CardTemplates.ApprovalList;

    /// <summary>
    /// The card for <see cref="ApprovalCardContext.Viewer"/> (or the shared copy). The model keeps it within the
    /// budget by its estimate; should the renderer still measure it over (text full of <c>{{</c>), the card is built
    /// again with the next tighter caps.
    /// </summary>
    public JsonObject Render(ApprovalCardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return renderer.Render(ApprovalTemplate, ApprovalCardModel.Build(context));
        }
        catch (CardTooLargeException)
        {
            var levels = ApprovalCardLimits.Levels;
            for (var i = 1; ; i++)
            {
                try
                {
                    return renderer.Render(ApprovalTemplate, ApprovalCardModel.Build(context, levels[i]));
                }
                catch (CardTooLargeException) when (i < levels.Count - 1)
                {
                    // Still too many bytes: the next level is tighter.
                }
            }
        }
    }

    /// <summary>
    /// A list of requests, each with an "Open" button (verb <see cref="ApprovalVerbs.Open"/>, data <c>{ requestId }</c>).
    /// At most <see cref="ApprovalCardModel.MaxListItems"/> are listed; <paramref name="more"/> and the rest are counted.
    /// </summary>
    public JsonObject RenderList(string title, IReadOnlyList<ApprovalListItem> items, int more, TimeZoneInfo timeZone) =>
        renderer.Render(ListTemplate, ApprovalCardModel.BuildList(title, items, more, timeZone));
}
