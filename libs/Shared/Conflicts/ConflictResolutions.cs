namespace IntegrationSync.Shared.Conflicts;

/// <summary>How a conflict is resolved (ARCHITECTURE.md §6); <c>custom</c> carries the chosen field values.</summary>
public static class ConflictResolutions
{
    public const string SourceWins = "source_wins";
    public const string TargetWins = "target_wins";
    public const string NewestWins = "newest_wins";
    public const string Merge = "merge";
    public const string Manual = "manual";
    public const string Custom = "custom";

    public static readonly IReadOnlyList<string> All = [SourceWins, TargetWins, NewestWins, Merge, Manual, Custom];
}
