namespace IntegrationSync.Shared.Contracts.Events;

[EventName(EventNames.SyncCompleted, Mandatory = true)]
public sealed record SyncCompleted(
    string TaskId,
    string ExecutionId,
    int RecordsProcessed,
    int RecordsCreated,
    int RecordsUpdated,
    int RecordsFailed);
