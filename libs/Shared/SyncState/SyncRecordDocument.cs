using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Storage;

namespace IntegrationSync.Shared.SyncState;

/// <summary>
/// The sync state of one record of one integration (container <c>integration_sync_records</c>, one logical partition
/// per record): the shard it maps to, the vendor's version, the mapped fields as last synced on both sides
/// (<see cref="Base"/>, in shard terms, and its hash), the last direction and time, our last write (to know its echo),
/// a Castiel change not yet pushed, a conflict waiting for a person, a vendor deletion waiting to reach the shard, and a
/// tombstone once a side deleted it. Of an inbound-only integration's record only the link to its shard is kept.
/// Written by the runner on every inbound publish and outbound push of an integration that takes writes back, by
/// event-consumer when a shard changes.
/// </summary>
public sealed record SyncRecordDocument : CosmosDocument
{
    public const string DocType = "sync_record";

    public override string Type { get; init; } = DocType;
    public required string IntegrationId { get; init; }

    /// <summary>The entity type as the integration's mapping names it, lower case.</summary>
    public required string EntityType { get; init; }

    /// <summary>Null until the record exists at the vendor (a Castiel shard not created there yet).</summary>
    public string? ExternalId { get; init; }
    public string? ShardId { get; init; }
    public string? ShardTypeId { get; init; }

    /// <summary><c>SystemModstamp</c>, <c>updatedAt</c> (HubSpot), <c>@odata.etag</c>, a REST ETag or version, else the content hash.</summary>
    public string? RemoteVersion { get; init; }
    public string? RemoteModifiedAt { get; init; }

    /// <summary>The mapped fields as last synced, as the shard holds them; both sides agreed on them then.</summary>
    public JsonObject? Base { get; init; }
    public string? BaseHash { get; init; }

    /// <summary><c>inbound</c> or <c>outbound</c>.</summary>
    public string? LastDirection { get; init; }
    public string? LastSyncedAt { get; init; }
    public string? LastExecutionId { get; init; }
    public OutboundWrite? LastWrite { get; init; }
    public PendingChange? Pending { get; init; }
    public string? OpenConflictId { get; init; }
    public Tombstone? Deleted { get; init; }

    /// <summary>Deleted at the vendor, seen by an inbound run: its shard is deleted once the run's deletions pass the mass-delete guard.</summary>
    public PendingDeletion? Deleting { get; init; }

    /// <summary>Mapped fields changed in Castiel that cannot be written back (a lossy or unknown transform, a nested path).</summary>
    public List<string>? NotWritable { get; init; }
    public string? LastError { get; init; }
    public bool Managed { get; init; } = true;
    public string? CreatedAt { get; init; }
    public string? UpdatedAt { get; init; }

    /// <summary>The record's id: a hash of its identity (vendor ids may hold characters Cosmos ids may not).</summary>
    public static string IdFor(string tenantId, string integrationId, string entityType, string externalId) =>
        HashedId($"{tenantId}\n{integrationId}\n{entityType.ToLowerInvariant()}\nexternal\n{externalId}");

    /// <summary>A Castiel shard not created at the vendor yet, by shard id; once created it names its <see cref="ExternalId"/>.</summary>
    public static string IdForShard(string tenantId, string integrationId, string entityType, string shardId) =>
        HashedId($"{tenantId}\n{integrationId}\n{entityType.ToLowerInvariant()}\nshard\n{shardId}");

    private static string HashedId(string identity) => "rec-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..40];
}

/// <summary>Our last write to the vendor: its id, the version it produced and the hash of what it wrote (shard terms).</summary>
public sealed record OutboundWrite(string WriteId, string? Version, string Hash, string At, bool Created = false)
{
    /// <summary>A create about to be sent that cannot be repeated safely: found again, its outcome is unknown.</summary>
    public static OutboundWrite CreateIntent(string at) => new(Guid.NewGuid().ToString(), null, "", at, Created: true);

    public bool IsIntent => Hash.Length == 0;
}

/// <summary>
/// A Castiel change waiting to be pushed. <see cref="Changes"/> counts the shard updates it coalesces; a push clears it
/// only if no change arrived meanwhile. A push that failed is tried again at <see cref="RetryAt"/>, at most
/// <c>bidirectional.max_attempts</c> times, then <see cref="FailedAt"/> is set (a new change starts over).
/// </summary>
public sealed record PendingChange(string Since, string LastChangedAt, int Changes, string? EventId, int Attempts = 0, string? RetryAt = null, string? FailedAt = null);

/// <summary>Deleted on <see cref="Side"/> (<c>castiel</c> or <c>external</c>) at <see cref="At"/>.</summary>
public sealed record Tombstone(string Side, string At)
{
    public const string Castiel = "castiel";
    public const string External = "external";
}

/// <summary>A vendor deletion seen by <see cref="ExecutionId"/>, which applies it (or holds it for approval) at the end of its pull.</summary>
public sealed record PendingDeletion(string ExecutionId, string? DeletedAt, string SeenAt);
