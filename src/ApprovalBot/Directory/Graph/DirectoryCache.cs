using System.Collections.Concurrent;

namespace ApprovalBot.OrgDirectory.Graph;

/// <summary>
/// A small expiring cache of directory answers on the host's <see cref="TimeProvider"/> (so tests expire it with the
/// manual clock). Failures are never cached; "not found" is cached too, for its own (shorter) lifetime. Bounded: when
/// it holds <see cref="MaxEntries"/>, expired entries are dropped, and if that is not enough, everything.
/// </summary>
internal sealed class DirectoryCache(TimeProvider time)
{
    internal const int MaxEntries = 20_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    /// <summary>The cached answer for <paramref name="key"/>, or the one <paramref name="load"/> gives (then cached).</summary>
    public async Task<T?> GetOrLoadAsync<T>(string key, Func<Task<T?>> load, TimeSpan lifetime, TimeSpan notFoundLifetime)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var hit) && hit.ExpiresAt > now)
            return (T?)hit.Value;

        var value = await load();
        Set(key, value, value is null ? notFoundLifetime : lifetime);
        return value;
    }

    public void Set<T>(string key, T? value, TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        if (_entries.Count >= MaxEntries) Trim(now);
        _entries[key] = new Entry(value, now + lifetime);
    }

    private void Trim(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now) _entries.TryRemove(key, out _);
        }
        if (_entries.Count >= MaxEntries) _entries.Clear();
    }

    private sealed record Entry(object? Value, DateTimeOffset ExpiresAt);
}
