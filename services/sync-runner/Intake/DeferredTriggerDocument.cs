using System.Text.Json.Nodes;
using IntegrationSync.Shared.Storage;

namespace IntegrationSync.SyncRunner.Intake;

/// <summary>
/// Scheduled or webhook work that arrived inside the integration's minimum interval: kept until the window closes,
/// one document per integration and entity type, however many triggers arrive meanwhile (container <c>integration_sync_state</c>).
/// </summary>
public sealed record DeferredTriggerDocument : CosmosDocument
{
    public const string DocType = "deferred_trigger";

    public override string Type { get; init; } = DocType;
    public required string IntegrationId { get; init; }
    public string? EntityType { get; init; }
    public JsonObject? Filters { get; init; }
    public required string RequestedBy { get; init; }
    public required string DueAt { get; init; }
    public int Coalesced { get; init; } = 1;

    public static string IdFor(string integrationId, string? entityType) => $"deferred-{integrationId}-{entityType ?? "_all"}";
}
