using System.Text.Json.Nodes;
using IntegrationSync.Shared.SyncState;

namespace IntegrationSync.Shared.Tests.SyncState;

public sealed class EntityMappingTests
{
    private static readonly JsonObject SyncConfig = JsonNode.Parse("""
        {
          "entityMappings": [
            { "externalEntity": "Invoice", "shardTypeId": "c_invoice", "enabled": false, "fieldMappings": [] },
            { "externalEntityName": "Opportunity", "shardTypeId": "c_opportunity", "shardTypeName": "Opportunity", "fieldMappings": [
              { "externalField": "Name", "shardField": "name" },
              { "externalFieldName": "Amount", "internalFieldName": "amount", "transform": "stringToNumber" },
              { "externalField": "CloseDate", "shardField": "closeDate", "transform": "dateToISO" },
              { "externalField": "IsWon", "shardField": "won", "transform": "booleanToYesNo" },
              { "externalField": "StageName", "shardField": "stage", "transform": "toLowerCase" },
              { "externalField": "Account.Industry", "shardField": "industry" },
              { "externalField": "Score", "shardField": "score", "transform": "tenantCustomScore" }
            ] }
          ]
        }
        """)!.AsObject();

    [Fact]
    public void A_mapping_is_found_by_entity_type_in_either_naming_and_by_shard_type_and_a_disabled_one_never()
    {
        Assert.Equal("Opportunity", EntityMapping.ForEntity(SyncConfig, "opportunity")!.ExternalEntity);
        Assert.Equal("Opportunity", EntityMapping.ForShardType(SyncConfig, "c_opportunity", null)!.ExternalEntity);
        Assert.Equal("Opportunity", EntityMapping.ForShardType(SyncConfig, null, "Opportunity")!.ExternalEntity);
        Assert.Null(EntityMapping.ForEntity(SyncConfig, "Invoice"));
        Assert.Null(EntityMapping.ForShardType(SyncConfig, "c_invoice", null));
    }

    [Fact]
    public void A_vendor_record_maps_to_shard_values_as_the_mapper_stores_them_leaving_out_what_it_cannot_compute()
    {
        var shard = EntityMapping.ForEntity(SyncConfig, "Opportunity")!.ToShard(JsonNode.Parse("""
            { "Name": "Acme", "Amount": "1250.50", "CloseDate": "2026-07-01", "IsWon": true, "StageName": "Closed Won",
              "Account": { "Industry": "Retail" }, "Score": 7, "Unmapped": 1 }
            """)!.AsObject());

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            { "name": "Acme", "amount": 1250.5, "closeDate": "2026-07-01T00:00:00.000Z", "won": "Yes", "stage": "closed won", "industry": "Retail" }
            """), shard), shard.ToJsonString());
    }

    [Fact]
    public void Shard_values_go_back_to_vendor_terms_only_where_the_transform_is_exact_the_others_are_named()
    {
        var mapping = EntityMapping.ForEntity(SyncConfig, "Opportunity")!;
        var values = JsonNode.Parse("""{ "name": "Acme", "amount": 99.5, "won": "No", "stage": "lost", "industry": "Energy", "score": 3 }""")!.AsObject();

        var (fields, notWritable) = mapping.ToVendor(values, ["name", "amount", "won", "stage", "industry", "score", "unknown"]);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "Name": "Acme", "Amount": "99.5", "IsWon": false }"""), fields), fields.ToJsonString());
        Assert.Equal(["stage", "industry", "score"], notWritable);
    }

    [Fact]
    public void A_shard_s_mapped_values_leave_out_nulls_so_they_hash_as_the_vendor_side_does()
    {
        var mapping = EntityMapping.ForEntity(SyncConfig, "Opportunity")!;
        var fromShard = mapping.FromShard(JsonNode.Parse("""{ "name": "Acme", "amount": null, "daysInStage": 4 }""")!.AsObject());
        var fromVendor = mapping.ToShard(JsonNode.Parse("""{ "Name": "Acme", "Amount": null }""")!.AsObject());

        Assert.Equal(CanonicalJson.Hash(fromVendor), CanonicalJson.Hash(fromShard));
    }
}
