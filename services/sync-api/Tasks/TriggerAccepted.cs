namespace IntegrationSync.SyncApi.Tasks;

/// <summary>The 202 of a trigger (the original's body); a replayed <c>Idempotency-Key</c> answers the existing task's status.</summary>
public sealed record TriggerAccepted(string TaskId, string Status, string Message);
