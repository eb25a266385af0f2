using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.Shared.Configuration.Options;

public sealed class CosmosDbOptions
{
    public const string Section = "cosmos_db";

    [ConfigurationKeyName("endpoint"), Required, Url]
    public string Endpoint { get; set; } = "";

    [ConfigurationKeyName("key"), Required]
    public string Key { get; set; } = "";

    [ConfigurationKeyName("database_id"), Required]
    public string DatabaseId { get; set; } = "castiel";

    /// <summary><c>direct</c> in production; <c>gateway</c> for the local test server.</summary>
    [ConfigurationKeyName("connection_mode"), Required, RegularExpression("^(direct|gateway)$", ErrorMessage = "must be 'direct' or 'gateway'")]
    public string ConnectionMode { get; set; } = "direct";

    [ConfigurationKeyName("limit_to_endpoint")]
    public bool LimitToEndpoint { get; set; }

    [ConfigurationKeyName("startup_timeout_seconds"), Range(1, 3600)]
    public int StartupTimeoutSeconds { get; set; } = 60;

    /// <summary>How long a write that must not be lost (checkpoint, heartbeat, status) is retried through throttling, 503s and timeouts.</summary>
    [ConfigurationKeyName("write_retry_seconds"), Range(1, 3600)]
    public int WriteRetrySeconds { get; set; } = 60;

    /// <summary>
    /// <c>containers</c>: the original's containers, shared with integration-manager and the original system, plus the
    /// fleet's own. <c>single</c>: every document of the fleet in one container (<c>containers.data</c>, the seed's
    /// <c>integration-sync_data</c>), told apart by its <c>type</c>.
    /// </summary>
    [ConfigurationKeyName("layout"), Required, RegularExpression("^(containers|single)$", ErrorMessage = "must be 'containers' or 'single'")]
    public string Layout { get; set; } = "containers";

    /// <summary>False where the fleet's identity may not create containers: they must exist, and start-up names any missing.</summary>
    [ConfigurationKeyName("create_containers")]
    public bool CreateContainers { get; set; } = true;

    [ConfigurationKeyName("containers"), Required]
    public CosmosContainerNames Containers { get; set; } = new();

    public bool SingleContainer => Layout == "single";

    /// <summary>The containers the layout uses.</summary>
    public IEnumerable<string> ContainersInUse() => SingleContainer ? [Containers.Data] : Containers.All();
}

public sealed class CosmosContainerNames
{
    [ConfigurationKeyName("sync_tasks"), Required]
    public string SyncTasks { get; set; } = "integration_sync_tasks";

    [ConfigurationKeyName("executions"), Required]
    public string Executions { get; set; } = "integration_executions";

    [ConfigurationKeyName("conflicts"), Required]
    public string Conflicts { get; set; } = "integration_conflicts";

    [ConfigurationKeyName("webhooks"), Required]
    public string Webhooks { get; set; } = "integration_webhooks";

    [ConfigurationKeyName("sync_state"), Required]
    public string SyncState { get; set; } = "integration_sync_state";

    [ConfigurationKeyName("leases"), Required]
    public string Leases { get; set; } = "integration_sync_leases";

    [ConfigurationKeyName("webhook_deliveries"), Required]
    public string WebhookDeliveries { get; set; } = "integration_webhook_deliveries";

    /// <summary>The one container of the single-container layout.</summary>
    [ConfigurationKeyName("data"), Required]
    public string Data { get; set; } = "integration-sync_data";

    /// <summary>Per-record sync state of bidirectional sync; partitioned by <c>/id</c>, unlike the others (see SyncRecordDocument).</summary>
    [ConfigurationKeyName("sync_records"), Required]
    public string SyncRecords { get; set; } = "integration_sync_records";

    /// <summary>The containers partitioned by <c>/tenantId</c> in the containers layout (the per-record sync state is apart, in either layout).</summary>
    public IEnumerable<string> All() =>
        [SyncTasks, Executions, Conflicts, Webhooks, SyncState, Leases, WebhookDeliveries];
}
