using System.Text.Json.Nodes;

namespace IntegrationSync.Shared.Contracts.Commands;

/// <summary>Work for the runner: run one execution of a stored task, or resume <paramref name="ResumeExecutionId"/> from its checkpoint.</summary>
[EventName(EventNames.SyncRequested, Mandatory = true)]
public sealed record SyncRequested(
    string TaskId,
    string IntegrationId,
    string Direction,
    string? EntityType,
    JsonObject? Filters,
    string RequestedAt,
    string? ResumeExecutionId = null);
