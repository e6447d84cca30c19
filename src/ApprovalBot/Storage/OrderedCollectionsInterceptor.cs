using System.Linq.Expressions;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Escalations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Query;

namespace ApprovalBot.Storage;

/// <summary>
/// Loads the domain's ordered owned collections in order, whatever the query. EF orders the rows of a loaded
/// collection only as far as it needs to stitch them together, so the innermost collection (an agreement's revisions,
/// a stage run's seats) comes back in whatever order the database returns: on PostgreSQL an updated row moves. The
/// domain reads <c>Revisions[^1]</c> as the current revision and <c>StageRuns[^1]</c> as the current stage, so every
/// query over <see cref="Agreement"/>, <see cref="ApprovalRequest"/> or <see cref="Escalation"/> (its timeline, which the
/// domain numbers on from the last entry) gets ordered includes added to its root here.
/// Queries that project something else ignore them.
/// </summary>
internal sealed class OrderedCollectionsInterceptor : IQueryExpressionInterceptor
{
    public static readonly OrderedCollectionsInterceptor Instance = new();

    private static readonly Expression<Func<IQueryable<Agreement>, IQueryable<Agreement>>> Agreements =
        q => q.Include(a => a.Revisions.OrderBy(r => r.Number)).Include(a => a.NegotiationRounds.OrderBy(r => r.Number));

    private static readonly Expression<Func<IQueryable<ApprovalRequest>, IQueryable<ApprovalRequest>>> Requests =
        q => q.Include(r => r.AuditTrail.OrderBy(e => e.Sequence))
            .Include(r => r.StageRuns.OrderBy(s => s.Id)).ThenInclude(s => s.Seats.OrderBy(seat => seat.Id));

    // An escalation has two owned collections since the survey answers: with a second join, PostgreSQL returned the
    // timeline in reverse, and the domain numbers the next entry and reads Timeline[^1] from that order.
    private static readonly Expression<Func<IQueryable<Escalation>, IQueryable<Escalation>>> Escalations =
        q => q.Include(e => e.Timeline.OrderBy(t => t.Sequence)).Include(e => e.SurveyAnswers.OrderBy(a => a.Resolution));

    public Expression QueryCompilationStarting(Expression queryExpression, QueryExpressionEventData eventData) =>
        new RootVisitor().Visit(queryExpression);

    private sealed class RootVisitor : ExpressionVisitor
    {
        protected override Expression VisitExtension(Expression node)
        {
            if (node is EntityQueryRootExpression root)
            {
                var clrType = root.EntityType.ClrType;
                if (clrType == typeof(Agreement)) return Apply(Agreements, root);
                if (clrType == typeof(ApprovalRequest)) return Apply(Requests, root);
                if (clrType == typeof(Escalation)) return Apply(Escalations, root);
            }

            return base.VisitExtension(node);
        }

        private static Expression Apply(LambdaExpression template, Expression root) =>
            new Replace(template.Parameters[0], root).Visit(template.Body);
    }

    private sealed class Replace(ParameterExpression parameter, Expression with) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? with : base.VisitParameter(node);
    }
}
