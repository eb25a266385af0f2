using System.Text.Json.Nodes;
using IntegrationSync.Shared.SyncState;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>What happens to a record after a three-way comparison.</summary>
public enum Verdict
{
    /// <summary>Nothing changed, or both sides changed to the same values.</summary>
    InSync,

    /// <summary>Both sides take <see cref="Decision.Result"/>: the vendor the fields where it differs, the shard likewise.</summary>
    Apply,

    /// <summary>A conflict the strategy leaves to a person.</summary>
    Manual,

    /// <summary>Castiel deleted the record: delete it at the vendor.</summary>
    DeleteRemote,

    /// <summary>The vendor deleted the record and that wins over Castiel's change: delete the shard.</summary>
    DeleteLocal,

    /// <summary>The vendor deleted the record but Castiel's change wins: create it again at the vendor.</summary>
    RecreateRemote,

    /// <summary>Castiel deleted the record but the vendor's change wins: restore the shard with the vendor's values.</summary>
    RestoreLocal,

    /// <summary>The vendor deleted the record and Castiel did not change it: nothing to push (the deletion itself travels inbound).</summary>
    RemoteGone,
}

/// <param name="Conflict">Both sides changed; counted as a conflict whatever resolved it.</param>
/// <param name="Winner"><c>local</c>, <c>remote</c>, <c>merge</c> or <c>none</c>: how the conflict went, for the record and the metrics.</param>
public sealed record Decision(Verdict Verdict, bool Conflict, JsonObject? Result, string Winner)
{
    /// <summary>Fields whose vendor value must change to reach <see cref="Result"/>.</summary>
    public IReadOnlyList<string> PushFields(ThreeWay comparison) =>
        Result is null ? [] : comparison.Fields.Where(f => !CanonicalJson.Equal(Result[f.Field], f.Remote)).Select(f => f.Field).ToList();

    /// <summary>Fields whose shard value must change to reach <see cref="Result"/>.</summary>
    public IReadOnlyList<string> PullFields(ThreeWay comparison) =>
        Result is null ? [] : comparison.Fields.Where(f => !CanonicalJson.Equal(Result[f.Field], f.Local)).Select(f => f.Field).ToList();
}
