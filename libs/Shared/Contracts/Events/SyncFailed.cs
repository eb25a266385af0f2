namespace IntegrationSync.Shared.Contracts.Events;

/// <summary><c>errorCode</c> is our addition (the classified cause); the original sent only <c>error</c>.</summary>
[EventName(EventNames.SyncFailed, Mandatory = true)]
public sealed record SyncFailed(string TaskId, string ExecutionId, string Error, string? ErrorCode = null);
