namespace IntegrationSync.Shared.Contracts.Events;

/// <summary>The original never published this event; the payload is ours. <paramref name="ChangedFields"/>: the shard fields that differ.</summary>
[EventName(EventNames.ConflictDetected)]
public sealed record ConflictDetected(
    string ConflictId,
    string IntegrationId,
    string EntityType,
    string EntityId,
    string? ShardId,
    string ResolutionStrategy,
    string DetectedAt,
    string? ExternalId = null,
    string? Kind = null,
    IReadOnlyList<string>? ChangedFields = null);
