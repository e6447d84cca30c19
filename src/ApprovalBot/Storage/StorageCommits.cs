using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ApprovalBot.Storage;

/// <summary>
/// Tells whoever listens that a transaction on the bot's database committed — also an explicit one spanning several
/// saves, after which <see cref="Microsoft.EntityFrameworkCore.DbContext.SavedChanges"/> came too early (its rows were
/// not yet visible to others). The outbox uses it to send what the commit made visible at once.
/// </summary>
public sealed class StorageCommits : DbTransactionInterceptor
{
    /// <summary>A transaction committed; the context whose transaction it was (null when EF does not say).</summary>
    public event Action<DbContext?>? Committed;

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed?.Invoke(eventData?.Context);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed?.Invoke(eventData?.Context);
        return Task.CompletedTask;
    }
}
