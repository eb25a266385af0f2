using System.Text.Json.Nodes;
using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.SyncState;

namespace IntegrationSync.Shared.Tests.SyncState;

public sealed class WriteBackTests
{
    [Theory]
    [InlineData("""{"syncDirection":"inbound"}""", false, false)]
    [InlineData("""{"syncDirection":"outbound"}""", true, false)]
    [InlineData("""{"syncDirection":"bidirectional","writeBack":{"allowDeletes":true}}""", true, true)]
    [InlineData("""{"syncDirection":"inbound","writeBack":{"enabled":true}}""", true, false)]
    [InlineData("""{"syncDirection":"bidirectional","writeBack":{"enabled":false,"allowDeletes":true}}""", false, false)]
    [InlineData("""{}""", false, false)]
    public void Writes_follow_the_sync_direction_unless_writeBack_says_otherwise(string syncConfig, bool writes, bool deletes)
    {
        var writeBack = WriteBack.Of(Integration(syncConfig), "newest_wins");

        Assert.Equal((writes, deletes), (writeBack.AllowsWrites, writeBack.AllowsDeletes));
    }

    [Theory]
    [InlineData("""{"conflictResolution":"destination_wins"}""", "target_wins")]
    [InlineData("""{"conflictResolution":"internal_wins"}""", "target_wins")]
    [InlineData("""{"conflictResolution":"external_wins"}""", "source_wins")]
    [InlineData("""{"conflictResolution":"last_write_wins"}""", "newest_wins")]
    [InlineData("""{"conflictResolution":"custom"}""", "manual")]
    [InlineData("""{"writeBack":{"conflictResolution":"MERGE"}}""", "merge")]
    [InlineData("""{"conflictResolution":"whatever"}""", "source_wins")]
    [InlineData("""{}""", "source_wins")]
    public void The_strategy_takes_integration_managers_names_and_falls_back_to_the_default(string syncConfig, string strategy) =>
        Assert.Equal(strategy, WriteBack.Of(Integration(syncConfig), "source_wins").Strategy);

    [Fact]
    public void Allowed_shard_types_limit_writes_when_listed()
    {
        var limited = WriteBack.Of(Integration("""{"syncDirection":"bidirectional","writeBack":{"allowedShardTypes":["c_account"]}}"""), "manual");
        var open = WriteBack.Of(Integration("""{"syncDirection":"bidirectional"}"""), "manual");

        Assert.Equal((true, false, true), (limited.AllowsShardType("c_account", null), limited.AllowsShardType("c_opportunity", "Opportunity"),
            open.AllowsShardType("c_opportunity", null)));
    }

    private static IntegrationDescriptor Integration(string syncConfig) =>
        new(Guid.NewGuid().ToString(), "salesforce", null, null, null, [], JsonNode.Parse(syncConfig)!.AsObject());
}
