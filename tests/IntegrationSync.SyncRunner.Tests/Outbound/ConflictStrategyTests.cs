using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Outbound;

namespace IntegrationSync.SyncRunner.Tests.Outbound;

/// <summary>Every strategy on every shape of change: base {a:1, b:1}; "local newer" or "remote newer" says which side was modified last.</summary>
public sealed class ConflictStrategyTests
{
    private static readonly DateTimeOffset T = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    // shape, strategy, merge fallback, which side is newer → verdict, result, counted as a conflict
    [InlineData("unchanged", "source_wins", "source_wins", "tie", Verdict.InSync, "a=1,b=1", false)]
    [InlineData("unchanged", "manual", "manual", "tie", Verdict.InSync, "a=1,b=1", false)]
    [InlineData("converged", "manual", "manual", "tie", Verdict.InSync, "a=2,b=1", false)]
    [InlineData("local_only", "source_wins", "source_wins", "remote", Verdict.Apply, "a=2,b=1", false)]
    [InlineData("local_only", "manual", "manual", "tie", Verdict.Apply, "a=2,b=1", false)]
    [InlineData("remote_only", "target_wins", "target_wins", "local", Verdict.Apply, "a=1,b=3", false)]
    [InlineData("remote_only", "manual", "manual", "tie", Verdict.Apply, "a=1,b=3", false)]
    [InlineData("same_field", "source_wins", "source_wins", "local", Verdict.Apply, "a=3,b=1", true)]
    [InlineData("same_field", "target_wins", "target_wins", "remote", Verdict.Apply, "a=2,b=1", true)]
    [InlineData("same_field", "newest_wins", "source_wins", "local", Verdict.Apply, "a=2,b=1", true)]
    [InlineData("same_field", "newest_wins", "source_wins", "remote", Verdict.Apply, "a=3,b=1", true)]
    [InlineData("same_field", "newest_wins", "source_wins", "tie", Verdict.Apply, "a=3,b=1", true)]
    [InlineData("same_field", "merge", "source_wins", "local", Verdict.Apply, "a=3,b=1", true)]
    [InlineData("same_field", "merge", "target_wins", "remote", Verdict.Apply, "a=2,b=1", true)]
    [InlineData("same_field", "merge", "newest_wins", "local", Verdict.Apply, "a=2,b=1", true)]
    [InlineData("same_field", "merge", "manual", "local", Verdict.Manual, "", true)]
    [InlineData("same_field", "manual", "source_wins", "local", Verdict.Manual, "", true)]
    [InlineData("different_fields", "source_wins", "source_wins", "local", Verdict.Apply, "a=1,b=3", true)]
    [InlineData("different_fields", "target_wins", "target_wins", "remote", Verdict.Apply, "a=2,b=1", true)]
    [InlineData("different_fields", "newest_wins", "source_wins", "local", Verdict.Apply, "a=2,b=1", true)]
    [InlineData("different_fields", "newest_wins", "source_wins", "remote", Verdict.Apply, "a=1,b=3", true)]
    [InlineData("different_fields", "merge", "manual", "tie", Verdict.Apply, "a=2,b=3", true)]
    [InlineData("different_fields", "merge", "source_wins", "tie", Verdict.Apply, "a=2,b=3", true)]
    [InlineData("different_fields", "manual", "source_wins", "tie", Verdict.Manual, "", true)]
    [InlineData("remote_deleted_local_updated", "source_wins", "source_wins", "local", Verdict.DeleteLocal, "", true)]
    [InlineData("remote_deleted_local_updated", "target_wins", "target_wins", "remote", Verdict.RecreateRemote, "a=2,b=1", true)]
    [InlineData("remote_deleted_local_updated", "newest_wins", "source_wins", "remote", Verdict.DeleteLocal, "", true)]
    [InlineData("remote_deleted_local_updated", "merge", "target_wins", "remote", Verdict.RecreateRemote, "a=2,b=1", true)]
    [InlineData("remote_deleted_local_updated", "merge", "manual", "remote", Verdict.Manual, "", true)]
    [InlineData("remote_deleted_local_updated", "manual", "source_wins", "remote", Verdict.Manual, "", true)]
    [InlineData("local_deleted_remote_updated", "source_wins", "source_wins", "local", Verdict.RestoreLocal, "a=1,b=3", true)]
    [InlineData("local_deleted_remote_updated", "target_wins", "target_wins", "remote", Verdict.DeleteRemote, "", true)]
    [InlineData("local_deleted_remote_updated", "newest_wins", "source_wins", "local", Verdict.DeleteRemote, "", true)]
    [InlineData("local_deleted_remote_updated", "newest_wins", "source_wins", "remote", Verdict.RestoreLocal, "a=1,b=3", true)]
    [InlineData("local_deleted_remote_updated", "merge", "source_wins", "local", Verdict.RestoreLocal, "a=1,b=3", true)]
    [InlineData("local_deleted_remote_updated", "manual", "source_wins", "local", Verdict.Manual, "", true)]
    [InlineData("local_deleted", "source_wins", "source_wins", "remote", Verdict.DeleteRemote, "", false)]
    [InlineData("local_deleted", "manual", "manual", "remote", Verdict.DeleteRemote, "", false)]
    [InlineData("remote_deleted", "target_wins", "target_wins", "local", Verdict.RemoteGone, "", false)]
    [InlineData("remote_deleted", "manual", "manual", "local", Verdict.RemoteGone, "", false)]
    [InlineData("both_deleted", "manual", "manual", "local", Verdict.InSync, "", false)]
    public void A_strategy_decides_each_shape(string shape, string strategy, string fallback, string newer, Verdict verdict, string result, bool conflict)
    {
        var decision = ConflictStrategy.Decide(Shape(shape, newer), strategy, fallback);

        Assert.Equal(verdict, decision.Verdict);
        Assert.Equal(result, Describe(decision.Result));
        Assert.Equal(conflict, decision.Conflict);
    }

    [Theory]
    [InlineData("same_field", "custom", "{\"a\":7}", Verdict.Apply, "a=7,b=1")]
    [InlineData("different_fields", "custom", "{\"b\":9}", Verdict.Apply, "a=2,b=9")]
    [InlineData("same_field", "merge", "{\"a\":5}", Verdict.Apply, "a=5,b=1")]
    [InlineData("same_field", "merge", null, Verdict.Apply, "a=3,b=1")]
    [InlineData("same_field", "target_wins", null, Verdict.Apply, "a=2,b=1")]
    [InlineData("remote_deleted_local_updated", "custom", "{\"a\":4}", Verdict.RecreateRemote, "a=4,b=1")]
    [InlineData("local_deleted_remote_updated", "source_wins", null, Verdict.RestoreLocal, "a=1,b=3")]
    public void A_persons_choice_is_applied_with_its_values(string shape, string resolution, string? fields, Verdict verdict, string result)
    {
        var decision = ConflictStrategy.Choose(Shape(shape, "tie"), resolution, fields is null ? null : JsonNode.Parse(fields)!.AsObject(), "manual");

        Assert.Equal(verdict, decision.Verdict);
        Assert.Equal(result, Describe(decision.Result));
    }

    private static ThreeWay Shape(string shape, string newer)
    {
        var (localAt, remoteAt) = newer switch { "local" => (T.AddSeconds(1), T), "remote" => (T, T.AddSeconds(1)), _ => (T, T) };
        Side Values(int a, int b, DateTimeOffset at) => new(new JsonObject { ["a"] = a, ["b"] = b }, false, at);
        var (local, remote) = shape switch
        {
            "unchanged" => (Values(1, 1, localAt), Values(1, 1, remoteAt)),
            "converged" => (Values(2, 1, localAt), Values(2, 1, remoteAt)),
            "local_only" => (Values(2, 1, localAt), Values(1, 1, remoteAt)),
            "remote_only" => (Values(1, 1, localAt), Values(1, 3, remoteAt)),
            "same_field" => (Values(2, 1, localAt), Values(3, 1, remoteAt)),
            "different_fields" => (Values(2, 1, localAt), Values(1, 3, remoteAt)),
            "remote_deleted_local_updated" => (Values(2, 1, localAt), Side.Gone(remoteAt)),
            "local_deleted_remote_updated" => (Side.Gone(localAt), Values(1, 3, remoteAt)),
            "local_deleted" => (Side.Gone(localAt), Values(1, 1, remoteAt)),
            "remote_deleted" => (Values(1, 1, localAt), Side.Gone(remoteAt)),
            "both_deleted" => (Side.Gone(localAt), Side.Gone(remoteAt)),
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
        };
        return ThreeWay.Compare(new JsonObject { ["a"] = 1, ["b"] = 1 }, local, remote, ["a", "b"]);
    }

    private static string Describe(JsonObject? values) =>
        values is null ? "" : string.Join(",", values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value?.ToJsonString()}"));
}
