using System.Text.Json.Nodes;
using IntegrationSync.Shared.SyncState;

namespace IntegrationSync.Shared.Tests.SyncState;

public sealed class ShardViewTests
{
    private const string Integration = "5f2b6a1e-8c3d-4e7f-9a10-2b3c4d5e6f70";

    [Theory]
    [InlineData("""{"metadata":{"integrationId":"I","externalId":"X"}}""", "I", "X")]
    [InlineData("""{"metadata":{"externalSource":"I","externalId":"X"}}""", "I", "X")]
    [InlineData("""{"metadata":{"integrationId":"I"}}""", "I", null)]
    [InlineData("""{"external_relationships":[{"system":"salesforce","externalId":"Y"},{"system":"5f2b6a1e-8c3d-4e7f-9a10-2b3c4d5e6f70","externalId":"X"}]}""", Integration, "X")]
    [InlineData("""{"external_relationships":[{"system":"crm","metadata":{"integrationId":"I"},"externalId":"X"}]}""", "I", "X")]
    public void A_shard_is_linked_by_its_metadata_or_an_external_relationship(string shard, string integrationId, string? externalId)
    {
        var link = new ShardView(JsonNode.Parse(shard)!.AsObject()).Link();

        Assert.Equal((integrationId, externalId), (link!.Value.IntegrationId, link.Value.ExternalId));
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"metadata":{"source":"ui"},"external_relationships":[{"system":"salesforce","externalId":"Y"}]}""")]
    public void A_shard_no_integration_produced_has_no_link(string shard) => Assert.Null(new ShardView(JsonNode.Parse(shard)!.AsObject()).Link());

    [Theory]
    [InlineData("""{"status":"deleted"}""", true)]
    [InlineData("""{"status":"active","deletedAt":"2026-01-01T00:00:00Z"}""", true)]
    [InlineData("""{"status":"active"}""", false)]
    public void A_soft_deleted_shard_is_deleted(string shard, bool deleted) => Assert.Equal(deleted, new ShardView(JsonNode.Parse(shard)!.AsObject()).Deleted);
}
