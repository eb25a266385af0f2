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

    /// <summary>What an integration's <c>syncConfig.conflictResolution</c> may say: ours and integration-manager's names.</summary>
    public static readonly IReadOnlyList<string> Strategies = [SourceWins, TargetWins, NewestWins, Merge, Manual];

    /// <summary>
    /// Our name for a strategy named by integration-manager (<c>destination_wins</c>, <c>internal_wins</c> = Castiel wins;
    /// <c>external_wins</c> = the external system wins; <c>last_write_wins</c> = newest wins; <c>custom</c>, whose
    /// logic the fleet does not have, waits for a person); null for a name neither side knows.
    /// </summary>
    public static string? Normalize(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        SourceWins or "external_wins" => SourceWins,
        TargetWins or "destination_wins" or "internal_wins" => TargetWins,
        NewestWins or "last_write_wins" => NewestWins,
        Merge => Merge,
        Manual or Custom => Manual,
        _ => null,
    };
}
