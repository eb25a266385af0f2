using System.Text.Json.Nodes;

namespace IntegrationSync.Shared.SyncState;

/// <summary>One field of an entity mapping: where the vendor keeps it, where the shard keeps it, and the transform between.</summary>
public sealed record FieldMapping(string ExternalField, string ShardField, string? Transform, JsonObject? TransformOptions)
{
    /// <summary>A nested vendor path (<c>Account.Industry</c>) is read through a relation and cannot be written back.</summary>
    public bool Writable => !ExternalField.Contains('.', StringComparison.Ordinal) && FieldTransforms.Find(Transform)?.Back is not null;
}

/// <summary>
/// An integration's <c>syncConfig.entityMappings[]</c> entry, read with both of Castiel's naming conventions
/// (<c>externalEntity</c>/<c>externalEntityName</c>, <c>externalField</c>/<c>externalFieldName</c>,
/// <c>shardField</c>/<c>internalFieldName</c>), as integration-processors' mapper reads it. Values are compared in shard
/// terms: what the mapper stores for a vendor value (<see cref="ToShard"/>), so a vendor record and a shard compare
/// field by field; only writing goes back to vendor terms (<see cref="ToVendor"/>).
/// </summary>
public sealed record EntityMapping(string ExternalEntity, string? ShardTypeId, string? ShardTypeName, IReadOnlyList<FieldMapping> Fields)
{
    /// <summary>The enabled mapping for the entity type a sync reads (case-insensitive), or null.</summary>
    public static EntityMapping? ForEntity(JsonObject syncConfig, string entityType) =>
        All(syncConfig).FirstOrDefault(m => string.Equals(m.ExternalEntity, entityType, StringComparison.OrdinalIgnoreCase));

    /// <summary>The enabled mapping that produces shards of this type (by id, else by name), or null.</summary>
    public static EntityMapping? ForShardType(JsonObject syncConfig, string? shardTypeId, string? shardTypeName) =>
        All(syncConfig).FirstOrDefault(m => shardTypeId is not null && m.ShardTypeId == shardTypeId)
        ?? All(syncConfig).FirstOrDefault(m => shardTypeName is not null && (m.ShardTypeName == shardTypeName || m.ShardTypeId == shardTypeName));

    /// <summary>The mapped fields the fleet can compare (a transform it cannot compute is left out).</summary>
    public IEnumerable<FieldMapping> Comparable => Fields.Where(f => FieldTransforms.Find(f.Transform) is not null);

    /// <summary>A vendor record's mapped fields as the mapper stores them in the shard; a field the record lacks is absent.</summary>
    public JsonObject ToShard(JsonObject vendorRecord)
    {
        var shard = new JsonObject();
        foreach (var field in Comparable)
        {
            if (Read(vendorRecord, field.ExternalField) is { } value
                && FieldTransforms.Find(field.Transform)!.Forward(value, field.TransformOptions) is { } mapped && !IsNull(mapped))
            {
                shard[field.ShardField] = mapped;
            }
        }
        return shard;
    }

    /// <summary>A shard's mapped fields (from its <c>structuredData</c>).</summary>
    public JsonObject FromShard(JsonObject? structuredData)
    {
        var values = new JsonObject();
        foreach (var field in Comparable)
        {
            if (structuredData?[field.ShardField] is { } value && !IsNull(value))
            {
                values[field.ShardField] = value.DeepClone();
            }
        }
        return values;
    }

    /// <summary>
    /// Shard values (of the shard fields named) in vendor terms, for a write; fields that cannot be written back exactly
    /// (<see cref="FieldMapping.Writable"/>) are returned apart, to be reported.
    /// </summary>
    public (JsonObject Fields, IReadOnlyList<string> NotWritable) ToVendor(JsonObject shardValues, IEnumerable<string> shardFields)
    {
        var fields = new JsonObject();
        var notWritable = new List<string>();
        foreach (var name in shardFields)
        {
            if (Fields.FirstOrDefault(f => f.ShardField == name) is not { } field)
            {
                continue;
            }
            if (!field.Writable)
            {
                notWritable.Add(name);
                continue;
            }
            fields[field.ExternalField] = FieldTransforms.Find(field.Transform)!.Back!(shardValues[name]);
        }
        return (fields, notWritable);
    }

    private static IEnumerable<EntityMapping> All(JsonObject syncConfig)
    {
        foreach (var node in syncConfig["entityMappings"] as JsonArray ?? [])
        {
            if (node is not JsonObject entry || entry["enabled"] is JsonValue enabled && enabled.TryGetValue<bool>(out var on) && !on)
            {
                continue;
            }
            if ((Text(entry, "externalEntityName") ?? Text(entry, "externalEntity")) is not { } entity)
            {
                continue;
            }
            var fields = new List<FieldMapping>();
            foreach (var f in entry["fieldMappings"] as JsonArray ?? [])
            {
                if (f is JsonObject m && (Text(m, "externalFieldName") ?? Text(m, "externalField")) is { } external
                    && (Text(m, "internalFieldName") ?? Text(m, "shardField")) is { } shardField)
                {
                    fields.Add(new FieldMapping(external, shardField, Text(m, "transform"), m["transformOptions"] as JsonObject));
                }
            }
            yield return new EntityMapping(entity, Text(entry, "shardTypeId"), Text(entry, "shardTypeName"), fields);
        }
    }

    /// <summary>A dotted path through nested objects, as the mapper's <c>extractNestedField</c>.</summary>
    private static JsonNode? Read(JsonObject record, string path)
    {
        JsonNode? node = record;
        foreach (var part in path.Split('.'))
        {
            node = (node as JsonObject)?[part];
        }
        return node;
    }

    private static bool IsNull(JsonNode node) => node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Null;

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
