using IntegrationSync.Shared.Contracts;

namespace IntegrationSync.Shared.Webhooks;

/// <summary>The published events a webhook may subscribe to: lifecycle events only, never record payloads.</summary>
public static class WebhookEvents
{
    /// <summary>The <c>type</c> of a test delivery asked for through the API; no registration subscribes to it.</summary>
    public const string Ping = "integration.webhook.ping";

    /// <summary>The header naming the event, beside the Standard Webhooks headers.</summary>
    public const string EventHeader = "X-Castiel-Event";

    public static readonly IReadOnlyList<string> All =
    [
        EventNames.SyncStarted,
        EventNames.SyncCompleted,
        EventNames.SyncFailed,
        EventNames.SyncCancelled,
        EventNames.ConflictDetected,
        EventNames.DataSynced,
        EventNames.TokenRefreshed,
        EventNames.TokenRefreshFailed,
    ];
}
