using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Outbound;

namespace IntegrationSync.SyncRunner.Tests.Outbound;

/// <summary>The field-level three-way merge: each field's change against the base, and what <c>merge</c> makes of it.</summary>
public sealed class ThreeWayTests
{
    [Theory]
    // base, local, remote (JSON, "-" = absent) → change, merged value with the fallback giving the vendor's value
    [InlineData("1", "1", "1", FieldChange.None, "1")]
    [InlineData("1", "2", "1", FieldChange.Local, "2")]
    [InlineData("1", "1", "3", FieldChange.Remote, "3")]
    [InlineData("1", "2", "3", FieldChange.Both, "3")]
    [InlineData("1", "2", "2", FieldChange.Converged, "2")]
    [InlineData("1", "-", "1", FieldChange.Local, "-")]
    [InlineData("-", "-", "\"new\"", FieldChange.Remote, "\"new\"")]
    [InlineData("\"a\"", "\"a\"", "null", FieldChange.Remote, "-")]
    [InlineData("1", "1.0", "1e0", FieldChange.None, "1")]
    [InlineData("{\"x\":1,\"y\":2}", "{\"y\":2,\"x\":1}", "{\"x\":1,\"y\":3}", FieldChange.Remote, "{\"x\":1,\"y\":3}")]
    public void Each_field_is_classified_against_the_base_and_merged(string @base, string local, string remote, FieldChange change, string merged)
    {
        var w = ThreeWay.Compare(Obj(@base), Side(local), Side(remote), ["f"]);

        var decision = ConflictStrategy.Decide(w, "merge", "source_wins");

        Assert.Equal(change, w.Fields.Single().Change);
        Assert.True(Shared.SyncState.CanonicalJson.Equal(Value(merged), (decision.Result ?? w.Local.Values)!["f"]),
            $"merged {decision.Result?.ToJsonString()} expected {merged}");
    }

    [Fact]
    public void Without_a_base_every_field_where_the_sides_differ_is_changed_on_both()
    {
        var w = ThreeWay.Compare(null, new Side(new JsonObject { ["a"] = 1, ["b"] = 2 }, false, null), new Side(new JsonObject { ["a"] = 1, ["b"] = 3 }, false, null), ["a", "b"]);

        Assert.Equal([FieldChange.None, FieldChange.Both], w.Fields.Select(f => f.Change));
        Assert.True(w.IsConflict);
    }

    [Fact]
    public void Push_and_pull_fields_are_where_the_result_differs_from_each_side()
    {
        var w = ThreeWay.Compare(new JsonObject { ["a"] = 1, ["b"] = 1, ["c"] = 1 }, new Side(new JsonObject { ["a"] = 2, ["b"] = 1, ["c"] = 1 }, false, null),
            new Side(new JsonObject { ["a"] = 1, ["b"] = 3, ["c"] = 1 }, false, null), ["a", "b", "c"]);

        var decision = ConflictStrategy.Decide(w, "merge", "manual");

        Assert.Equal(["a"], decision.PushFields(w));
        Assert.Equal(["b"], decision.PullFields(w));
    }

    private static Side Side(string json) => new(Obj(json), false, null);

    private static JsonObject? Obj(string json) => json == "-" ? new JsonObject() : new JsonObject { ["f"] = JsonNode.Parse(json) };

    private static JsonNode? Value(string json) => json == "-" ? null : JsonNode.Parse(json);
}
