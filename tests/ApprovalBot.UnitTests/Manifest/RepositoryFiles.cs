namespace ApprovalBot.UnitTests.Manifest;

/// <summary>Files of the source tree that tests read: the Node validator and the manifest README.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ApprovalBot.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ApprovalBot.sln above {AppContext.BaseDirectory}; run the tests from the repository.");
    }
}
