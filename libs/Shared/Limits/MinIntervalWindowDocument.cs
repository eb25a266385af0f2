using IntegrationSync.Shared.Storage;

namespace IntegrationSync.Shared.Limits;

/// <summary>The open min-interval window of one integration (container <c>integration_sync_state</c>).</summary>
public sealed record MinIntervalWindowDocument : CosmosDocument
{
    public const string DocType = "min_interval_window";

    public override string Type { get; init; } = DocType;
    public required string IntegrationId { get; init; }
    public required string OpenedAt { get; init; }
    public required string OpenUntil { get; init; }

    /// <summary>Who opened the window (a task id); the same holder may pass again while it is open.</summary>
    public string? Holder { get; init; }

    public static string IdFor(string integrationId) => $"min-interval-{integrationId}";
}
