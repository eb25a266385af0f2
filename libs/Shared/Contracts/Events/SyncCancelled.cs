namespace IntegrationSync.Shared.Contracts.Events;

/// <summary>Our addition beside completed and failed: an execution ended on request, with the records counted until then.</summary>
[EventName(EventNames.SyncCancelled, Mandatory = true)]
public sealed record SyncCancelled(string TaskId, string ExecutionId, int RecordsProcessed);
