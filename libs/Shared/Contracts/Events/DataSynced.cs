namespace IntegrationSync.Shared.Contracts.Events;

/// <summary>
/// A record was pushed to the external system (<c>direction: "outbound"</c>): the original's three fields plus the
/// record's external id, the vendor's version after the write, and what happened (<c>updated</c>, <c>created</c>,
/// <c>deleted</c>, <c>unchanged</c>).
/// </summary>
[EventName(EventNames.DataSynced)]
public sealed record DataSynced(
    string ShardId, string Direction, string IntegrationId, string? ExternalId = null, string? Version = null, string? EntityType = null,
    string? Operation = null);
