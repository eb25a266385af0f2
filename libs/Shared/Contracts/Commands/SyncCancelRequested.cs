namespace IntegrationSync.Shared.Contracts.Commands;

/// <summary>
/// A task's cancel was requested (the API set <c>cancelRequestedAt</c>). Each owner ends the execution in the statuses it
/// owns: the runner a paused one (a running one stops at its next page by itself), event-consumer a processing one.
/// </summary>
[EventName(EventNames.SyncCancelRequested, Mandatory = true)]
public sealed record SyncCancelRequested(string TaskId, string? ExecutionId, string RequestedAt);
