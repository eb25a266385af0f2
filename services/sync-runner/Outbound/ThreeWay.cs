using System.Text.Json.Nodes;
using IntegrationSync.Shared.SyncState;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>Where a field changed since the last sync. <see cref="Converged"/>: on both sides, to the same value.</summary>
public enum FieldChange
{
    None,
    Local,
    Remote,
    Both,
    Converged,
}

/// <summary>A side of a record: its mapped values (shard terms), or gone.</summary>
public sealed record Side(JsonObject? Values, bool Deleted, DateTimeOffset? ModifiedAt)
{
    public static Side Gone(DateTimeOffset? at) => new(null, true, at);
}

public sealed record FieldDiff(string Field, FieldChange Change, JsonNode? Base, JsonNode? Local, JsonNode? Remote);

/// <summary>
/// The three-way comparison of a record: Castiel's side (local) and the vendor's (remote), each against the mapped values
/// both had at the last sync (the base). Without a base (a record never synced both ways) every field where the sides
/// differ counts as changed on both.
/// </summary>
public sealed record ThreeWay(JsonObject? Base, Side Local, Side Remote, IReadOnlyList<FieldDiff> Fields)
{
    public bool LocalChanged => Local.Deleted || Fields.Any(f => f.Change is FieldChange.Local or FieldChange.Both);

    public bool RemoteChanged => Remote.Deleted || Fields.Any(f => f.Change is FieldChange.Remote or FieldChange.Both);

    /// <summary>Both sides changed and did not arrive at the same values: a strategy (or a person) must decide.</summary>
    public bool IsConflict => Local.Deleted || Remote.Deleted
        ? LocalChanged && RemoteChanged && !(Local.Deleted && Remote.Deleted)
        : LocalChanged && RemoteChanged;

    public static ThreeWay Compare(JsonObject? @base, Side local, Side remote, IEnumerable<string> fields)
    {
        var diffs = new List<FieldDiff>();
        foreach (var field in fields.Distinct(StringComparer.Ordinal))
        {
            var (b, l, r) = (@base?[field], local.Values?[field], remote.Values?[field]);
            var localChanged = !local.Deleted && (@base is null ? !CanonicalJson.Equal(l, r) : !CanonicalJson.Equal(l, b));
            var remoteChanged = !remote.Deleted && (@base is null ? !CanonicalJson.Equal(l, r) : !CanonicalJson.Equal(r, b));
            var change = (localChanged, remoteChanged) switch
            {
                (true, true) => CanonicalJson.Equal(l, r) ? FieldChange.Converged : FieldChange.Both,
                (true, false) => FieldChange.Local,
                (false, true) => FieldChange.Remote,
                _ => FieldChange.None,
            };
            diffs.Add(new FieldDiff(field, change, b?.DeepClone(), l?.DeepClone(), r?.DeepClone()));
        }
        return new ThreeWay(@base, local, remote, diffs);
    }
}
