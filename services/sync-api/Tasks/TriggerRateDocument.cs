using IntegrationSync.Shared.Storage;

namespace IntegrationSync.SyncApi.Tasks;

/// <summary>A tenant's trigger token bucket (container <c>integration_sync_leases</c>, one per tenant partition).</summary>
public sealed record TriggerRateDocument : CosmosDocument
{
    public const string DocType = "trigger_rate";
    public const string BucketId = "trigger-rate";

    public override string Type { get; init; } = DocType;
    public required double Tokens { get; init; }
    public required string RefilledAt { get; init; }
}
