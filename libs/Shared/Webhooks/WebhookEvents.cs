using IntegrationSync.Shared.Contracts;

namespace IntegrationSync.Shared.Webhooks;

/// <summary>The published events a webhook may subscribe to: lifecycle events only, never record payloads.</summary>
public static class WebhookEvents
{
    public static readonly IReadOnlyList<string> All =
    [
        EventNames.SyncStarted,
        EventNames.SyncCompleted,
        EventNames.SyncFailed,
        EventNames.ConflictDetected,
        EventNames.DataSynced,
        EventNames.TokenRefreshed,
        EventNames.TokenRefreshFailed,
    ];
}
