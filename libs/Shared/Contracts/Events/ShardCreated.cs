namespace IntegrationSync.Shared.Contracts.Events;

/// <summary>
/// Published by shard-manager when a shard is created (by integration-processors' mapper for a vendor record, or by a
/// Castiel user). The fleet learns from it which shard a vendor record became, so a deletion at the vendor can reach it.
/// </summary>
[EventName(EventNames.ShardCreated)]
public sealed record ShardCreated(
    string? ShardId,
    string? ShardTypeId,
    string? ShardTypeName = null,
    string? OpportunityId = null,
    string? Id = null,
    string? TenantId = null) : IShardChange
{
    public string? EffectiveShardId => ShardId ?? Id;
}
