namespace ApprovalBot.UnitTests.Cards;

/// <summary>Where the card files live in the repository, found from the test assembly upwards.</summary>
internal static class CardTestPaths
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    public static string RepositoryRoot => Root.Value;

    /// <summary><c>cards/samples</c>: sample data per template.</summary>
    public static string SamplesDirectory => Path.Combine(RepositoryRoot, "cards", "samples");

    /// <summary><c>cards</c>: the template sources (the host embeds them; tests read the embedded copies).</summary>
    public static string TemplatesDirectory => Path.Combine(RepositoryRoot, "cards");

    /// <summary><c>tests/cards</c>: the Node project with the official libraries.</summary>
    public static string NodeProjectDirectory => Path.Combine(RepositoryRoot, "tests", "cards");

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ApprovalBot.sln")))
            {
                return directory.FullName;
            }

            directory = directory.Parent;
        }

        throw new InvalidOperationException($"No ApprovalBot.sln above {AppContext.BaseDirectory}.");
    }
}
