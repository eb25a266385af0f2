namespace IntegrationSync.Shared.Contracts.Events;

/// <summary>The original never published this event; the payload is ours.</summary>
[EventName(EventNames.ConflictDetected)]
public sealed record ConflictDetected(
    string ConflictId,
    string IntegrationId,
    string EntityType,
    string EntityId,
    string? ShardId,
    string ResolutionStrategy,
    string DetectedAt);
