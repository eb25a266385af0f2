namespace IntegrationSync.Shared.Contracts.Commands;

/// <summary>Work for the runner: apply the resolution a person chose for a conflict (stored on it, status <c>resolving</c>).</summary>
[EventName(EventNames.ConflictResolve, Mandatory = true)]
public sealed record ConflictResolve(string ConflictId, string Resolution, string RequestedAt);
