using System.Text.Json.Nodes;
using IntegrationSync.Shared.Conflicts;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>
/// Decides a three-way comparison by strategy. A change on one side only, or changes on both that arrived at the same
/// values, are applied whatever the strategy. When both sides changed (the same field or different ones):
/// <c>source_wins</c> takes the vendor's record, <c>target_wins</c> Castiel's, <c>newest_wins</c> the side modified last
/// (a tie, or a side without a time, goes to the vendor), each as a whole; <c>merge</c> keeps each side's own changes
/// field by field and gives a field changed on both to the fallback strategy; <c>manual</c> leaves it to a person.
/// A deletion against a change is decided the same way at record level (merge uses its fallback); a vendor deletion
/// carries no time through the read APIs, so it counts as seen now and wins under <c>newest_wins</c>.
/// </summary>
public static class ConflictStrategy
{
    public static Decision Decide(ThreeWay w, string strategy, string mergeFallback)
    {
        if (w.Local.Deleted && w.Remote.Deleted)
        {
            return new Decision(Verdict.InSync, false, null, "none");
        }
        if (w.Remote.Deleted || w.Local.Deleted)
        {
            return DecideDeletion(w, strategy == ConflictResolutions.Merge ? mergeFallback : strategy);
        }
        if (!w.LocalChanged && !w.RemoteChanged)
        {
            return new Decision(Verdict.InSync, false, w.Local.Values, "none");
        }
        if (!w.IsConflict)
        {
            return new Decision(Verdict.Apply, false, Merged(w, chosen: null), w.LocalChanged ? "local" : "remote");
        }
        return strategy switch
        {
            ConflictResolutions.SourceWins => Whole(w, local: false),
            ConflictResolutions.TargetWins => Whole(w, local: true),
            ConflictResolutions.NewestWins => Whole(w, local: LocalIsNewer(w)),
            ConflictResolutions.Merge => FieldByField(w, mergeFallback),
            _ => new Decision(Verdict.Manual, true, null, "none"),
        };
    }

    /// <summary>
    /// A person's choice. With values (<c>custom</c>, or <c>merge</c> with <c>fields</c>) each side keeps its own changes and
    /// a given value wins for its field; a field changed on both and not given takes the merge fallback. A <c>merge</c>
    /// without values whose fallback is <c>manual</c> would ask the person again, so its fields changed on both go to the newer side.
    /// </summary>
    public static Decision Choose(ThreeWay w, string resolution, JsonObject? fields, string mergeFallback)
    {
        var fallback = mergeFallback == ConflictResolutions.Manual ? ConflictResolutions.NewestWins : mergeFallback;
        if (fields is null || resolution is not (ConflictResolutions.Custom or ConflictResolutions.Merge))
        {
            return Decide(w, resolution == ConflictResolutions.Custom ? ConflictResolutions.Merge : resolution, fallback);
        }
        if (w.Local.Deleted || w.Remote.Deleted)
        {
            // A deleted side has nothing to merge into: the chosen values make the record again on that side.
            var values = (w.Local.Deleted ? w.Remote.Values : w.Local.Values)?.DeepClone().AsObject() ?? [];
            foreach (var (key, value) in fields)
            {
                values[key] = value?.DeepClone();
            }
            return new Decision(w.Remote.Deleted ? Verdict.RecreateRemote : Verdict.RestoreLocal, true, values, "merge");
        }
        return new Decision(Verdict.Apply, true, Merged(w, fields, f => Fallback(w, f, fallback)), "merge");
    }

    private static Decision DecideDeletion(ThreeWay w, string strategy)
    {
        if (w.Remote.Deleted && !w.LocalChanged)
        {
            return new Decision(Verdict.RemoteGone, false, null, "none");
        }
        if (w.Local.Deleted && !w.RemoteChanged)
        {
            return new Decision(Verdict.DeleteRemote, false, null, "local");
        }
        bool? localWins = strategy switch
        {
            ConflictResolutions.SourceWins => false,
            ConflictResolutions.TargetWins => true,
            ConflictResolutions.NewestWins => LocalIsNewer(w),
            _ => null,
        };
        return localWins switch
        {
            null => new Decision(Verdict.Manual, true, null, "none"),
            true when w.Remote.Deleted => new Decision(Verdict.RecreateRemote, true, w.Local.Values, "local"),
            true => new Decision(Verdict.DeleteRemote, true, null, "local"),
            false when w.Remote.Deleted => new Decision(Verdict.DeleteLocal, true, null, "remote"),
            false => new Decision(Verdict.RestoreLocal, true, w.Remote.Values, "remote"),
        };
    }

    private static Decision Whole(ThreeWay w, bool local) =>
        new(Verdict.Apply, true, (local ? w.Local.Values : w.Remote.Values)?.DeepClone().AsObject() ?? [], local ? "local" : "remote");

    private static Decision FieldByField(ThreeWay w, string fallback)
    {
        if (fallback == ConflictResolutions.Manual && w.Fields.Any(f => f.Change == FieldChange.Both))
        {
            return new Decision(Verdict.Manual, true, null, "none");
        }
        return new Decision(Verdict.Apply, true, Merged(w, chosen: null, f => Fallback(w, f, fallback)), "merge");
    }

    private static JsonNode? Fallback(ThreeWay w, FieldDiff f, string fallback) => fallback switch
    {
        ConflictResolutions.SourceWins => f.Remote,
        ConflictResolutions.TargetWins => f.Local,
        _ => LocalIsNewer(w) ? f.Local : f.Remote,
    };

    /// <summary>Each side's own changes, a chosen value where given, and <paramref name="bothFallback"/> for a field changed on both.</summary>
    private static JsonObject Merged(ThreeWay w, JsonObject? chosen, Func<FieldDiff, JsonNode?>? bothFallback = null)
    {
        var result = new JsonObject();
        foreach (var f in w.Fields)
        {
            var value = chosen?.ContainsKey(f.Field) == true ? chosen[f.Field] : f.Change switch
            {
                FieldChange.Local or FieldChange.Converged => f.Local,
                FieldChange.Remote => f.Remote,
                FieldChange.Both => bothFallback?.Invoke(f) ?? f.Local,
                _ => f.Local,
            };
            if (value is not null && value.GetValueKind() != System.Text.Json.JsonValueKind.Null)
            {
                result[f.Field] = value.DeepClone();
            }
        }
        return result;
    }

    /// <summary>Castiel's side was modified strictly later; a tie or a missing time goes to the vendor.</summary>
    private static bool LocalIsNewer(ThreeWay w) =>
        w.Local.ModifiedAt is { } local && (w.Remote.ModifiedAt is not { } remote || local > remote);
}
