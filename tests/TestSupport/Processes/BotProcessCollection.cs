namespace ApprovalBot.TestSupport.Processes;

/// <summary>
/// Test classes that start <see cref="BotProcess"/>es join this collection: xunit runs it on its own, after the
/// parallel collections, so timing-sensitive process tests (deadlines of a few seconds, kill before a deadline) do not
/// compete for the CPU with each other or with the rest of the suite.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BotProcessCollection
{
    public const string Name = "Bot processes";
}
