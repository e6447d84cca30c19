namespace ApprovalBot.TestSupport.Storage;

/// <summary>
/// A PostgreSQL server of one test's own (scripts/postgres.sh with a state file of its own), for fault tests that stop
/// and start the server: the shared test server must stay up for every other test. Needs the server binaries, which
/// the test command installs; stopped and removed on dispose, and by the script's watchdog if the test process dies.
/// </summary>
public sealed class PrivatePostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string _script;
    private readonly string _stateFile;

    private PrivatePostgresServer(string script, string stateFile, string connectionString)
    {
        _script = script;
        _stateFile = stateFile;
        ConnectionString = connectionString;
    }

    /// <summary>The server's own connection string (a role that may create databases).</summary>
    public string ConnectionString { get; }

    public static async Task<PrivatePostgresServer> StartAsync()
    {
        var script = TestPostgres.OwnServer.FindScript();
        var stateFile = Path.Combine(Path.GetTempPath(), $"approvalbot-pgprivate-{Environment.ProcessId}-{Guid.NewGuid():N}.env");
        var output = await RunAsync(script, "start", stateFile);
        const string prefix = $"export {TestPostgres.ConnectionStringVariable}=";
        var line = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"'{script} start' printed no '{prefix}' line:\n{output}");
        return new PrivatePostgresServer(script, stateFile, line[prefix.Length..].Trim('\''));
    }

    /// <summary>Stops the server (fast shutdown: sessions are ended) and keeps its data and port.</summary>
    public Task HaltAsync() => RunAsync(_script, "halt", _stateFile);

    /// <summary>Starts the halted server again on the same port with its data.</summary>
    public async Task ResumeAsync()
    {
        await RunAsync(_script, "resume", _stateFile);
        // The test's own pooled connections (creating and dropping databases) died with the server.
        Npgsql.NpgsqlConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync() => await RunAsync(_script, "stop", _stateFile);

    private static async Task<string> RunAsync(string script, string verb, string stateFile)
    {
        var (exitCode, output, errors) = await TestPostgres.OwnServer.RunAsync(script, verb, stateFile, Timeout);
        if (exitCode != 0)
            throw new InvalidOperationException($"'{script} {verb}' failed with exit code {exitCode}:\n{errors}{output}");
        return output;
    }
}
