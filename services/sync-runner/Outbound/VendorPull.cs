using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>
/// The vendor's values reach the shard the way an inbound sync brings them (issue #13, "through the inbound path"): one
/// <c>integration.data.raw</c> of the record as the vendor holds it after our write, which integration-processors' mapper
/// applies with its own rules. It belongs to no task (<see cref="DataRaw.PushTaskId"/>); the pull's own id is its
/// correlation and ends its idempotency key, so the mapper's dedupe never swallows a later pull of the same record.
/// </summary>
public static class VendorPull
{
    /// <param name="written">The fields our write set (vendor terms), laid over the record as it was read before the write.</param>
    public static DataRaw Event(PushContext c, JsonObject written)
    {
        var record = c.Remote ?? throw new InvalidOperationException($"record {c.Record.Id}: no vendor record was read, so none can be pulled");
        var data = record.Data.DeepClone().AsObject();
        foreach (var (field, value) in written)
        {
            data[field] = value?.DeepClone();
        }
        var pullId = Guid.NewGuid().ToString();
        var integrationId = c.Target.Integration.Id;
        // The mapping's own spelling: the mapper matches the entity type exactly.
        return new DataRaw(integrationId, c.TenantId, record.ExternalId, DataRaw.PushTaskId, pullId, new RawRecordMetadata(SyncDirection.Bidirectional, null),
            c.Mapping.ExternalEntity, data, $"{integrationId}-{record.ExternalId}-{pullId}");
    }
}
