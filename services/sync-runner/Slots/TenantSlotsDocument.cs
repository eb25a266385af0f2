using IntegrationSync.Shared.Storage;

namespace IntegrationSync.SyncRunner.Slots;

/// <summary>
/// A tenant's sync slots across every runner replica (container <c>integration_sync_leases</c>): the executions
/// holding one (each with a lease that expires if its holder dies) and the tasks waiting for one, oldest first.
/// </summary>
public sealed record TenantSlotsDocument : CosmosDocument
{
    public const string DocType = "tenant_slots";

    public override string Type { get; init; } = DocType;
    public List<SlotHolder> Holders { get; init; } = [];
    public List<WaitingTask> Waiting { get; init; } = [];

    public static string IdFor(string tenantId) => $"tenant-slots-{tenantId}";
}

public sealed record SlotHolder(string ExecutionId, string TaskId, string ExpiresAt);

public sealed record WaitingTask(string TaskId, string EnqueuedAt);
