using System.Text.Json.Nodes;
using IntegrationSync.Shared.Storage;

namespace IntegrationSync.Shared.Conflicts;

/// <summary>
/// A record changed on both sides since the last sync (container <c>integration_conflicts</c>): the original's fields
/// (reference §3.4) plus where it came from, the three versions (in shard terms), the fields changed and on which side,
/// and how and by whom it was resolved. <see cref="Status"/> moves open → resolving (a person chose) → resolved (the
/// runner applied it) or superseded (the record changed again: a fresh conflict, <see cref="SupersededBy"/>, replaces it).
/// </summary>
public sealed record ConflictDocument : CosmosDocument
{
    public const string DocType = "conflict";

    public override string Type { get; init; } = DocType;

    /// <summary>Equals <c>id</c>; the API lists only documents that carry it.</summary>
    public string? ConflictId { get; init; }
    public string? TaskId { get; init; }
    public string? IntegrationId { get; init; }
    public string? ShardId { get; init; }
    public string? ExternalId { get; init; }
    public string? EntityId { get; init; }
    public string? EntityType { get; init; }
    public JsonObject? SourceData { get; init; }
    public JsonObject? TargetData { get; init; }

    /// <summary>The field values at the last sync, the local (Castiel) and the remote (external system) version.</summary>
    public JsonObject? BaseVersion { get; init; }
    public JsonObject? LocalVersion { get; init; }
    public JsonObject? RemoteVersion { get; init; }

    /// <summary>The strategy in force: <c>manual</c> while waiting for a person, then the chosen resolution.</summary>
    public string? ResolutionStrategy { get; init; }
    public bool Resolved { get; init; }
    public string? Resolution { get; init; }

    /// <summary>The field values a <c>custom</c> (or <c>merge</c>) resolution chose.</summary>
    public JsonObject? ResolutionFields { get; init; }
    public string? ResolvedAt { get; init; }
    public string? ResolvedBy { get; init; }
    public string? CreatedAt { get; init; }
    public string? UpdatedAt { get; init; }

    /// <summary>Created by this fleet's bidirectional sync (the container also holds the original's flag-only conflicts).</summary>
    public bool Managed { get; init; }
    public string? Status { get; init; }

    /// <summary><see cref="ConflictKinds"/>.</summary>
    public string? Kind { get; init; }

    /// <summary>The record's sync state (<c>integration_sync_records</c>).</summary>
    public string? RecordId { get; init; }
    public List<ChangedField>? ChangedFields { get; init; }

    /// <summary>What the versions were when the conflict was found: a resolution against anything newer is refused.</summary>
    public string? LocalHash { get; init; }
    public string? RemoteHash { get; init; }
    public string? ExternalVersion { get; init; }
    public bool LocalDeleted { get; init; }
    public bool RemoteDeleted { get; init; }
    public string? LocalModifiedAt { get; init; }
    public string? RemoteModifiedAt { get; init; }
    public string? SupersededBy { get; init; }
    public string? Supersedes { get; init; }

    /// <summary>When the resolution was applied to both sides, and what it did.</summary>
    public string? AppliedAt { get; init; }
    public string? Outcome { get; init; }
    public string? Error { get; init; }
}

/// <summary>One mapped field that changed since the last sync: on which side (<c>local</c>, <c>remote</c>, <c>both</c>) and its three values.</summary>
public sealed record ChangedField(string Field, string ChangedOn, JsonNode? Base, JsonNode? Local, JsonNode? Remote);

public static class ConflictStatus
{
    public const string Open = "open";
    public const string Resolving = "resolving";
    public const string Resolved = "resolved";
    public const string Superseded = "superseded";
}

public static class ConflictKinds
{
    /// <summary>Both sides changed mapped fields since the last sync (the same field, or different ones).</summary>
    public const string ConcurrentUpdate = "concurrent_update";

    /// <summary>Deleted at the vendor while changed in Castiel.</summary>
    public const string DeletedOnSource = "deleted_on_source";

    /// <summary>Deleted in Castiel while changed at the vendor.</summary>
    public const string DeletedOnDestination = "deleted_on_destination";

    /// <summary>The vendor refused our write because the record changed after we read it (412).</summary>
    public const string WriteRejected = "write_rejected";
}
