namespace IntegrationSync.Shared.Contracts.Commands;

/// <summary>The runner finished publishing an execution's records: completion tracking (event-consumer) takes over.</summary>
[EventName(EventNames.SyncProcessing, Mandatory = true)]
public sealed record SyncProcessing(string TaskId, string ExecutionId, int RecordsPublished, int RecordsForwarded);
