using System.Text.Json.Nodes;
using IntegrationSync.Shared.Conflicts;

namespace IntegrationSync.SyncApi.Conflicts;

/// <summary>
/// A conflict with its three versions (shard field names), the fields changed and on which side, and how it was resolved:
/// <c>status</c> open → resolving → resolved (<c>appliedAt</c>, <c>outcome</c>) or superseded (<c>supersededBy</c>: the
/// fresh conflict of a record that changed again). The original's conflicts have no status.
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
    string? UpdatedAt,
    string? Status,
    string? Kind,
    IReadOnlyList<ChangedField>? ChangedFields,
    string? AppliedAt,
    string? Outcome,
    string? Error,
    string? SupersededBy,
    string? Supersedes)
{
    public static ConflictDto From(ConflictDocument c) => new(
        c.ConflictId ?? c.Id, c.TenantId, c.TaskId, c.IntegrationId, c.ShardId, c.ExternalId, c.EntityId, c.EntityType,
        c.SourceData, c.TargetData, c.BaseVersion, c.LocalVersion, c.RemoteVersion,
        c.ResolutionStrategy, c.Resolved, c.Resolution, c.ResolutionFields, c.ResolvedBy, c.ResolvedAt, c.CreatedAt, c.UpdatedAt,
        c.Status, c.Kind, c.ChangedFields, c.AppliedAt, c.Outcome, c.Error, c.SupersededBy, c.Supersedes);
}
