using IntegrationSync.Shared.Storage;

namespace IntegrationSync.Shared.Leases;

/// <summary>When a fleet-wide timer fires next, and which replica fired it last (container <c>integration_sync_leases</c>).</summary>
public sealed record FleetTimerDocument : CosmosDocument
{
    public const string SystemTenant = "_system";

    public const string DocType = "fleet_timer";

    public override string Type { get; init; } = DocType;
    public required string DueAt { get; init; }
    public string? FiredBy { get; init; }
    public string? FiredAt { get; init; }
}
