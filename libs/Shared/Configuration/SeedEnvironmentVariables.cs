using Microsoft.Extensions.Configuration;

namespace IntegrationSync.Shared.Configuration;

/// <summary>
/// The environment names of the seed README and the original's config (reference §4.2), mapped onto
/// configuration keys. An empty variable falls back to the file value, as in the original.
/// </summary>
public static class SeedEnvironmentVariables
{
    public static readonly IReadOnlyDictionary<string, string> Map = new Dictionary<string, string>
    {
        ["SERVICE_NAME"] = "service:name",
        ["PORT"] = "server:port",
        ["HOST"] = "server:host",
        ["COSMOS_DB_ENDPOINT"] = "cosmos_db:endpoint",
        ["COSMOS_DB_KEY"] = "cosmos_db:key",
        ["COSMOS_DB_DATABASE_ID"] = "cosmos_db:database_id",
        ["COSMOS_DB_CONNECTION_MODE"] = "cosmos_db:connection_mode",
        ["COSMOS_DB_LIMIT_TO_ENDPOINT"] = "cosmos_db:limit_to_endpoint",
        ["JWT_SECRET"] = "jwt:secret",
        ["JWT_ISSUER"] = "jwt:issuer",
        ["JWT_AUDIENCE"] = "jwt:audience",
        ["AUTH_URL"] = "services:auth:url",
        ["LOGGING_URL"] = "services:logging:url",
        ["USER_MANAGEMENT_URL"] = "services:user_management:url",
        ["INTEGRATION_MANAGER_URL"] = "services:integration_manager:url",
        ["SECRET_MANAGEMENT_URL"] = "services:secret_management:url",
        ["SHARD_MANAGER_URL"] = "services:shard_manager:url",
        ["RABBITMQ_URL"] = "rabbitmq:url",
        ["RABBITMQ_EXCHANGE"] = "rabbitmq:exchange",
        ["SYNC_SCHEDULER_ENABLED"] = "sync_scheduler:enabled",
        ["SYNC_SCHEDULER_INTERVAL_MS"] = "sync_scheduler:interval_ms",
        ["SYNC_SCHEDULER_BATCH_SIZE"] = "sync_scheduler:batch_size",
        ["TOKEN_REFRESH_ENABLED"] = "token_refresh:enabled",
        ["TOKEN_REFRESH_INTERVAL_MS"] = "token_refresh:interval_ms",
        ["TOKEN_REFRESH_EXPIRATION_THRESHOLD_MS"] = "token_refresh:expiration_threshold_ms",
        ["SYNC_MAX_RECORDS"] = "sync_limits:max_records_per_sync",
        ["SYNC_MIN_INTERVAL_MINUTES"] = "sync_limits:min_interval_minutes",
        ["SYNC_MAX_CONCURRENT_PER_TENANT"] = "sync_limits:max_concurrent_syncs_per_tenant",
        ["MAPPING_BATCH_SIZE"] = "mapping:batch_size",
        ["MAPPING_BATCH_THRESHOLD"] = "mapping:batch_threshold",
        ["MAPPING_QUEUE_NAME"] = "mapping:queue_name",
        ["MAPPING_DLQ_NAME"] = "mapping:dlq_name",
        ["MAPPING_BATCH_CONCURRENCY"] = "mapping:batch_concurrency",
        ["MAPPING_RETRY_ATTEMPTS"] = "mapping:retry_attempts",
        ["MAPPING_RETRY_BACKOFF_MS"] = "mapping:retry_backoff_ms",
        ["MAPPING_TIMEOUT_SECONDS"] = "mapping:timeout_seconds",
        ["MAPPING_PREFETCH"] = "mapping:prefetch",
        ["MAPPING_IDEMPOTENCY_TTL"] = "mapping:idempotency_ttl",
        ["MAPPING_CONFIG_CACHE_TTL"] = "mapping:config_cache_ttl",
        ["MAPPING_CIRCUIT_BREAKER_THRESHOLD"] = "mapping:circuit_breaker_threshold",
        ["MAPPING_CIRCUIT_BREAKER_TIMEOUT"] = "mapping:circuit_breaker_timeout",
        ["MAPPING_OPPORTUNITY_BATCH_THRESHOLD"] = "mapping:opportunity_batch_threshold",
        ["MAPPING_OPPORTUNITY_BATCH_SIZE"] = "mapping:opportunity_batch_size",
        ["MAPPING_PUBLISH_OPPORTUNITY_EVENTS"] = "mapping:publish_opportunity_events",
        ["MAPPING_COMPLETION_TIMEOUT_SECONDS"] = "mapping:completion_timeout_seconds",
    };

    public static IConfigurationBuilder AddSeedEnvironmentVariables(
        this IConfigurationBuilder builder, Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        var values = new Dictionary<string, string?>();
        foreach (var (variable, key) in Map)
        {
            var value = read(variable);
            if (!string.IsNullOrEmpty(value))
            {
                values[key] = value;
            }
        }
        return builder.AddInMemoryCollection(values);
    }
}
