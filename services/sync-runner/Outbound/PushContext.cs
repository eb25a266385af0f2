using System.Text.Json.Nodes;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.SyncRunner.Adapters;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>One record on its way out: its state as read, the shard, the mapping, both sides compared and the vendor's version.</summary>
public sealed record PushContext(
    OutboundTarget Target, SyncRecordDocument Record, ShardView? Shard, EntityMapping Mapping, ThreeWay Comparison, SourceRecord? Remote, string? RemoteVersion)
{
    public string TenantId => Target.TenantId;

    public AdapterRecordRequest RemoteRequest(string externalId) => new(Target.Connection, Record.EntityType, externalId);

    /// <summary>
    /// A shard update as shard-manager takes it: <c>metadata</c> merged (the link, and <c>syncedAt</c> as integration-processors
    /// writes it), and, when <paramref name="current"/> is given, <c>structuredData</c>, which replaces the stored one as a
    /// whole: every field of the current shard is sent, with <paramref name="values"/> applied to <paramref name="fields"/>.
    /// </summary>
    public JsonObject ShardUpdate(string now, string? externalId, JsonObject? current = null, JsonObject? values = null, IEnumerable<string>? fields = null)
    {
        var metadata = new JsonObject { ["syncedAt"] = now, ["integrationId"] = Target.Integration.Id, ["externalSource"] = Target.Integration.Id };
        if (externalId is not null)
        {
            metadata["externalId"] = externalId;
        }
        var update = new JsonObject { ["metadata"] = metadata };
        if (current is not null)
        {
            var structured = current.DeepClone().AsObject();
            foreach (var field in fields ?? [])
            {
                if (values?[field] is { } value)
                {
                    structured[field] = value.DeepClone();
                }
                else
                {
                    structured.Remove(field);
                }
            }
            update["structuredData"] = structured;
        }
        return update;
    }
}

public enum PushOutcome
{
    /// <summary>No pending change (pushed already, or by another delivery).</summary>
    Nothing,
    /// <summary>Changed too recently, or its retry is not due: pushed after <see cref="PushResult.Wait"/> (with whatever else the burst changes).</summary>
    Deferred,
    /// <summary>The shard holds what was last synced: the update was our own (or undone).</summary>
    Echo,
    InSync,
    Pushed,
    Created,
    Deleted,
    /// <summary>Only the shard changed (the vendor's side won or added to it).</summary>
    Pulled,
    /// <summary>Left for a person (a conflict document waits).</summary>
    Manual,
    /// <summary>A conflict of this record waits for a person; the change waits with it.</summary>
    Waiting,
    /// <summary>The change is kept and tried again after <see cref="PushResult.Wait"/> (vendor or peer unavailable, rate limited, a failure's backoff).</summary>
    Retry,
    Failed,
}

/// <param name="Conflict">Both sides had changed: counted in the execution's <c>conflicts</c>.</param>
/// <param name="Again">Another change arrived during the push: push the record once more.</param>
public sealed record PushResult(PushOutcome Outcome, bool Conflict = false, bool Again = false)
{
    public TimeSpan Wait { get; init; }

    /// <summary>The metric outcome (<c>integration_sync_outbound_pushes_total{outcome}</c>).</summary>
    public string Metric => Outcome switch
    {
        PushOutcome.Echo or PushOutcome.InSync or PushOutcome.Nothing or PushOutcome.Deferred => "echo",
        PushOutcome.Manual or PushOutcome.Waiting => "conflict",
        PushOutcome.Retry or PushOutcome.Failed => "failed",
        _ => "pushed",
    };
}
