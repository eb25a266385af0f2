using System.Text.Json.Nodes;
using IntegrationSync.Shared.Conflicts;

namespace IntegrationSync.SyncApi.Conflicts;

/// <summary>
/// A conflict with its three versions and how it was resolved. Resolving records the choice (who, when, which fields);
/// applying it to the data (push, accept remote, custom values) comes with bidirectional sync and is not done yet.
/// </summary>
public sealed record ConflictDto(
    string ConflictId,
    string TenantId,
    string? TaskId,
    string? IntegrationId,
    string? ShardId,
    string? ExternalId,
    string? EntityId,
    string? EntityType,
    JsonObject? SourceData,
    JsonObject? TargetData,
    JsonObject? BaseVersion,
    JsonObject? LocalVersion,
    JsonObject? RemoteVersion,
    string? ResolutionStrategy,
    bool Resolved,
    string? Resolution,
    JsonObject? ResolutionFields,
    string? ResolvedBy,
    string? ResolvedAt,
    string? CreatedAt,
    string? UpdatedAt)
{
    public static ConflictDto From(ConflictDocument c) => new(
        c.ConflictId ?? c.Id, c.TenantId, c.TaskId, c.IntegrationId, c.ShardId, c.ExternalId, c.EntityId, c.EntityType,
        c.SourceData, c.TargetData, c.BaseVersion, c.LocalVersion, c.RemoteVersion,
        c.ResolutionStrategy, c.Resolved, c.Resolution, c.ResolutionFields, c.ResolvedBy, c.ResolvedAt, c.CreatedAt, c.UpdatedAt);
}
