using IntegrationSync.Shared.Sync;

namespace IntegrationSync.EventConsumer.Statistics;

/// <summary>One mapping outcome as the processors report it, reduced to what the statistics need.</summary>
public sealed record MappingResult(string? TenantId, string? ExecutionId, string? SyncTaskId, string Key, MappingOutcome Outcome, string? Error = null);
