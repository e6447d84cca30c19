using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit.Sdk;

namespace ApprovalBot.UnitTests.Cards;

/// <summary>One input to the official libraries: a template, its data (null = undefined), and whether to validate the result as a card.</summary>
public sealed record OfficialCase(string Id, JsonNode Template, JsonNode? Data, bool Validate);

/// <summary>A parse or validation event of the official <c>adaptivecards</c> parser.</summary>
public sealed record OfficialCardEvent(string Phase, string Event, string Message)
{
    public override string ToString() => $"{Phase}/{Event}: {Message}";
}

/// <summary>A TextBlock or TextRun text that the official renderer would display differently (DATE/TIME functions).</summary>
public sealed record OfficialTextChange(string Type, string Text, string Displayed)
{
    public override string ToString() => $"{Type}: \"{Text}\" is displayed as \"{Displayed}\"";
}

/// <summary>What the official libraries made of one case.</summary>
public sealed record OfficialResult(
    string Id,
    JsonNode? Expanded,
    string? Error,
    IReadOnlyList<string> Warnings,
    string? CardVersion,
    IReadOnlyList<OfficialCardEvent> CardEvents,
    IReadOnlyList<OfficialTextChange> TextChanges);

/// <summary>
/// Runs every cross-check case through the official JavaScript libraries in ONE Node process
/// (<c>tests/cards/crosscheck.js</c>): <c>adaptivecards-templating</c> 2.3.1 expands, <c>adaptivecards</c> 3.0.6
/// parses and validates. Missing Node or packages fail the tests that need them, with the fix in the message
/// (never a skip): in CI the pipeline must run <c>npm ci</c> in tests/cards first.
/// </summary>
public sealed class OfficialCardLibraries
{
    private readonly Dictionary<string, OfficialResult> _results = new(StringComparer.Ordinal);

    public OfficialCardLibraries()
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            Run(CrossCheckCases.All());
        }
        catch (OfficialLibrariesUnavailableException e)
        {
            Unavailable = e.Message;
        }

        Elapsed = stopwatch.Elapsed;
    }

    /// <summary>Why the official libraries could not run, or null when they ran.</summary>
    public string? Unavailable { get; }

    public TimeSpan Elapsed { get; }

    public JsonObject? Versions { get; private set; }

    public OfficialResult Get(string id)
    {
        if (Unavailable is not null)
        {
            throw new XunitException(Unavailable);
        }

        return _results.TryGetValue(id, out var result)
            ? result
            : throw new XunitException($"The official run has no result for case '{id}'.");
    }

    private void Run(IReadOnlyList<OfficialCase> cases)
    {
        var nodeProject = CardTestPaths.NodeProjectDirectory;
        var script = Path.Combine(nodeProject, "crosscheck.js");
        foreach (var package in new[] { "adaptivecards", "adaptivecards-templating" })
        {
            if (!File.Exists(Path.Combine(nodeProject, "node_modules", package, "package.json")))
            {
                throw Unavailability($"tests/cards/node_modules/{package} is missing.");
            }
        }

        var work = Directory.CreateTempSubdirectory("approvalbot-cards-");
        try
        {
            var input = Path.Combine(work.FullName, "input.json");
            var output = Path.Combine(work.FullName, "output.json");
            var batch = new JsonObject
            {
                ["cases"] = new JsonArray([.. cases.Select(c => (JsonNode)new JsonObject
                {
                    ["id"] = c.Id,
                    ["template"] = c.Template.DeepClone(),
                    ["validate"] = c.Validate,
                }.Also(o =>
                {
                    if (c.Data is not null)
                    {
                        o["data"] = c.Data.DeepClone();
                    }
                }))]),
            };
            File.WriteAllText(input, batch.ToJsonString());

            var start = new ProcessStartInfo("node")
            {
                WorkingDirectory = nodeProject,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(script);
            start.ArgumentList.Add(input);
            start.ArgumentList.Add(output);

            Process process;
            try
            {
                process = Process.Start(start) ?? throw Unavailability("node could not be started.");
            }
            catch (Win32Exception e)
            {
                throw Unavailability($"node was not found on PATH ({e.Message}).");
            }

            using (process)
            {
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
                {
                    process.Kill(entireProcessTree: true);
                    throw new InvalidOperationException("crosscheck.js did not finish within 2 minutes.");
                }

                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException(
                        $"crosscheck.js exited with {process.ExitCode}:\n{stderr.Result}\n{stdout.Result}");
                }
            }

            var parsed = JsonNode.Parse(File.ReadAllText(output))!.AsObject();
            Versions = parsed["versions"]?.AsObject();
            foreach (var node in parsed["results"]!.AsArray())
            {
                var r = node!.AsObject();
                var card = r["card"]?.AsObject();
                var result = new OfficialResult(
                    r["id"]!.GetValue<string>(),
                    r["expanded"]?.DeepClone(),
                    r["error"]?.GetValue<string>(),
                    r["warnings"]?.AsArray().Select(w => w!.GetValue<string>()).ToList() ?? [],
                    card?["version"]?.GetValue<string>(),
                    card?["events"]?.AsArray()
                        .Select(e => new OfficialCardEvent(
                            e!["phase"]?.GetValue<string>() ?? "?",
                            e["event"]?.GetValue<string>() ?? "?",
                            e["message"]?.GetValue<string>() ?? string.Empty))
                        .ToList() ?? [],
                    card?["textChanges"]?.AsArray()
                        .Select(e => new OfficialTextChange(
                            e!["type"]!.GetValue<string>(),
                            e["text"]!.GetValue<string>(),
                            e["displayed"]!.GetValue<string>()))
                        .ToList() ?? []);
                _results[result.Id] = result;
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static OfficialLibrariesUnavailableException Unavailability(string problem)
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        var fix = "Install Node 20.19 or later and run `npm ci` in tests/cards, then run the tests again.";
        return new OfficialLibrariesUnavailableException(inCi
            ? $"CI=true and the official Adaptive Cards libraries cannot run: {problem} The CI script must install Node 20.19 or later and run `npm ci` in tests/cards before `dotnet test`; these tests are required, not optional."
            : $"The official Adaptive Cards libraries cannot run: {problem} {fix} (These tests do not skip.)");
    }

    private sealed class OfficialLibrariesUnavailableException(string message) : Exception(message);
}

[CollectionDefinition(Name)]
public sealed class OfficialCardLibrariesCollection : ICollectionFixture<OfficialCardLibraries>
{
    public const string Name = "Official Adaptive Cards libraries";
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject obj, Action<JsonObject> configure)
    {
        configure(obj);
        return obj;
    }
}
