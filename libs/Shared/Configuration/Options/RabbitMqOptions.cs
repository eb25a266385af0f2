using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.Shared.Configuration.Options;

public sealed class RabbitMqOptions
{
    public const string Section = "rabbitmq";

    [ConfigurationKeyName("url"), Required, RegularExpression("^amqps?://.+", ErrorMessage = "must be an amqp:// or amqps:// URL")]
    public string Url { get; set; } = "";

    [ConfigurationKeyName("exchange"), Required]
    public string Exchange { get; set; } = "coder_events";

    /// <summary>Prefix of every queue the fleet declares (<c>integration_sync.runner</c>, ...).</summary>
    [ConfigurationKeyName("queue_prefix"), Required]
    public string QueuePrefix { get; set; } = "integration_sync";

    [ConfigurationKeyName("startup_timeout_seconds"), Range(1, 3600)]
    public int StartupTimeoutSeconds { get; set; } = 60;

    /// <summary>Deliveries a consumer holds unacknowledged.</summary>
    [ConfigurationKeyName("prefetch"), Range(1, 5000)]
    public ushort Prefetch { get; set; } = 100;

    /// <summary>Handlers running at once per consumer queue.</summary>
    [ConfigurationKeyName("consumer_concurrency"), Range(1, 256)]
    public ushort ConsumerConcurrency { get; set; } = 8;

    /// <summary>Publishes awaiting a broker confirm at once (per process).</summary>
    [ConfigurationKeyName("publish_window"), Range(1, 10000)]
    public int PublishWindow { get; set; } = 512;

    /// <summary>Longest wait for one confirm; a publish not confirmed by then is sent again.</summary>
    [ConfigurationKeyName("publish_timeout_seconds"), Range(1, 600)]
    public int PublishTimeoutSeconds { get; set; } = 30;

    /// <summary>How long unconfirmed publishes are sent again while the broker is out of reach before the publish fails as an outage.</summary>
    [ConfigurationKeyName("publish_recovery_seconds"), Range(1, 3600)]
    public int PublishRecoverySeconds { get; set; } = 120;

    /// <summary>
    /// Delays before each redelivery of a failed message; after the last one it is parked in <c>.dlq</c>.
    /// Empty here because the binder appends to an existing array: default.yaml holds the defaults.
    /// </summary>
    [ConfigurationKeyName("retry_delays_ms"), Required]
    public int[] RetryDelaysMs { get; set; } = [];

    /// <summary>Quorum-queue redelivery limit, the last guard against a message that crashes its consumer.</summary>
    [ConfigurationKeyName("delivery_limit"), Range(1, 1000)]
    public int DeliveryLimit { get; set; } = 20;

    [ConfigurationKeyName("shutdown_drain_seconds"), Range(0, 600)]
    public int ShutdownDrainSeconds { get; set; } = 25;
}
