using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ApprovalBot.Storage;

/// <summary>
/// A compiled query (<c>EF.CompileAsyncQuery</c>)
/// per EF model. A compiled query binds to the model of the first context that runs it and refuses any other, and one
/// process may hold two models: the SQLite one and the PostgreSQL one (the integration tests run both). The host has
/// one, so this is one dictionary lookup per call.
/// </summary>
internal sealed class PerModel<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _queries = [];

    public TQuery For(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return _queries.GetValue(db.Model, _ => compile());
    }
}
