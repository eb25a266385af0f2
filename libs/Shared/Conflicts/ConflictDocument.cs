using System.Text.Json.Nodes;
using IntegrationSync.Shared.Storage;

namespace IntegrationSync.Shared.Conflicts;

/// <summary>
/// A record changed on both sides since the last sync (container <c>integration_conflicts</c>): the original's fields
/// (reference §3.4) plus where it came from, the three versions, and how and by whom it was resolved.
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

    /// <summary>The field values a <c>custom</c> resolution chose.</summary>
    public JsonObject? ResolutionFields { get; init; }
    public string? ResolvedAt { get; init; }
    public string? ResolvedBy { get; init; }
    public string? CreatedAt { get; init; }
    public string? UpdatedAt { get; init; }
}
