using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ApprovalBot.Storage;

/// <summary>
/// Tells whoever listens that a transaction on the bot's database committed — also an explicit one spanning several
/// saves, after which <see cref="Microsoft.EntityFrameworkCore.DbContext.SavedChanges"/> came too early (its rows were
/// not yet visible to others). The outbox uses it to send what the commit made visible at once.
/// </summary>
public sealed class StorageCommits : DbTransactionInterceptor
{
    public event Action? Committed;

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed?.Invoke();

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed?.Invoke();
        return Task.CompletedTask;
    }
}
