using System.ComponentModel.DataAnnotations;
using IntegrationSync.Shared.Configuration;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncApi.Errors;

public sealed class ApiOptions
{
    public const string Section = "api";

    /// <summary>A request still waiting on Cosmos DB or the broker after this long answers 503 instead of hanging.</summary>
    [ConfigurationKeyName("request_timeout_seconds"), Range(1, 300)]
    public int RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>Triggers a tenant may make per minute across all replicas (a token bucket of this size, refilled evenly); 0 turns the limit off.</summary>
    [ConfigurationKeyName("trigger_rate_per_minute"), Range(0, 100_000)]
    public int TriggerRatePerMinute { get; set; } = 60;
}

/// <summary>Bounds every request: a dependency that stops answering (rather than refusing) still gets a prompt 503.</summary>
public static class RequestDeadline
{
    public static IServiceCollection AddRequestDeadline(this IServiceCollection services)
    {
        services.AddValidatedOptions<ApiOptions>(ApiOptions.Section);
        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<ApiOptions>>((timeouts, api) =>
            timeouts.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = TimeSpan.FromSeconds(api.Value.RequestTimeoutSeconds),
                TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
                WriteTimeoutResponse = context =>
                    ApiError.Result(503, "DEPENDENCY_UNAVAILABLE", "A dependency did not answer in time; retry later").ExecuteAsync(context),
            });
        return services;
    }
}
