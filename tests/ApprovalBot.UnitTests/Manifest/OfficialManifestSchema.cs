using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace ApprovalBot.UnitTests.Manifest;

/// <summary>
/// Validates a manifest with the official schema through tests/manifest/validate-manifest.js
/// (@microsoft/app-manifest, offline). A missing Node or node_modules fails the test: this check is never skipped.
/// </summary>
internal static class OfficialManifestSchema
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static string ProjectDirectory => RepositoryFiles.PathOf("tests", "manifest");

    /// <summary>The schema errors (empty when valid).</summary>
    public static IReadOnlyList<string> Validate(string manifestJson)
    {
        var package = Path.Combine(ProjectDirectory, "node_modules", "@microsoft", "app-manifest", "package.json");
        Assert.True(File.Exists(package),
            $"@microsoft/app-manifest is not installed in {ProjectDirectory}. Run `npm ci` in tests/manifest (needs Node 18+ and npm).");

        var file = Path.Combine(Path.GetTempPath(), $"approvalbot-manifest-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, manifestJson);
        try
        {
            var (exitCode, stdout, stderr) = RunNode(Path.Combine(ProjectDirectory, "validate-manifest.js"), file);
            var result = ParseResult(stdout, stderr, exitCode);
            Assert.True(exitCode is 0 or 1,
                $"The validator could not validate (exit {exitCode}): {string.Join("; ", result.Errors)} {stderr}");
            return result.Errors;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static (int ExitCode, string Stdout, string Stderr) RunNode(string script, string manifestFile)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = ProjectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(manifestFile);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"Cannot run `node` ({e.Message}). Install Node 18+ and run `npm ci` in tests/manifest.");
            throw;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"validate-manifest.js did not finish within {Timeout.TotalSeconds} s.");
            }

            process.WaitForExit();
            return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }
    }

    private static ValidatorOutput ParseResult(string stdout, string stderr, int exitCode)
    {
        try
        {
            return JsonSerializer.Deserialize<ValidatorOutput>(stdout, JsonSerializerOptions.Web)
                ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            Assert.Fail($"validate-manifest.js printed no result (exit {exitCode}, {e.Message}). stdout: {stdout} stderr: {stderr}");
            throw;
        }
    }

    private sealed record ValidatorOutput(bool Valid, string? Schema, IReadOnlyList<string> Errors);
}
