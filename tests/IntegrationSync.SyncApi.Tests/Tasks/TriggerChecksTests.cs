using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Storage;
using IntegrationSync.SyncApi.Errors;
using IntegrationSync.SyncApi.Tasks;
using IntegrationSync.TestSupport;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncApi.Tests.Tasks;

/// <summary>A trigger names an integration integration-manager knows for the tenant; anything else stores nothing.</summary>
public sealed class TriggerIntegrationTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly string _tenant = Guid.NewGuid().ToString();

    [Fact]
    public async Task An_integration_integration_manager_does_not_know_is_a_404_and_no_task()
    {
        using var client = host.ClientFor(_tenant);

        var response = await client.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId = Guid.NewGuid().ToString() });

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "INTEGRATION_NOT_FOUND");
        await AssertNoTaskAsync(client);
    }

    [Fact]
    public async Task Another_tenants_integration_is_a_404()
    {
        using var client = host.ClientFor(_tenant);
        var theirs = host.IntegrationOf(Guid.NewGuid().ToString());

        var response = await client.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId = theirs });

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "INTEGRATION_NOT_FOUND");
        await AssertNoTaskAsync(client);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"data":{}}""")]
    [InlineData("""{"data":{"id":"x","tenantId":"someone-else"}}""")]
    public async Task An_empty_or_foreign_answer_from_integration_manager_means_not_found_and_says_why(string answer)
    {
        using var client = host.ClientFor(_tenant);
        var integrationId = host.IntegrationOf(_tenant);
        host.IntegrationManager.IntegrationBodyOverride = JsonNode.Parse(answer);
        try
        {
            var response = await client.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId });

            var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "INTEGRATION_NOT_FOUND");
            Assert.Contains("integration-manager", error["message"]!.GetValue<string>());
            await AssertNoTaskAsync(client);
        }
        finally
        {
            host.IntegrationManager.IntegrationBodyOverride = null;
        }
    }

    [Fact]
    public async Task With_integration_manager_failing_the_trigger_is_a_503_and_no_task()
    {
        using var client = host.ClientFor(_tenant);
        var integrationId = host.IntegrationOf(_tenant);
        host.IntegrationManager.Faults.ServerErrorRetryAfterSeconds = 0;
        host.IntegrationManager.Faults.Script(503, 503, 503, 503, 503);

        var response = await client.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId });

        await ApiAssert.ErrorAsync(response, HttpStatusCode.ServiceUnavailable, "DEPENDENCY_UNAVAILABLE");
        await AssertNoTaskAsync(client);
        host.IntegrationManager.Faults.Script();
    }

    private static async Task AssertNoTaskAsync(HttpClient client) =>
        Assert.Empty((await ApiAssert.OkAsync(await client.GetAsync("/api/v1/sync/tasks")))["items"]!.AsArray());
}

/// <summary>integration-manager not listening at all: the trigger still answers, with a 503, within the request deadline.</summary>
public sealed class IntegrationManagerDownHost : ApiHost
{
    protected override IEnumerable<string> ExtraArgs => ["--services:integration_manager:url=http://127.0.0.1:1", "--api:request_timeout_seconds=2"];
}

public sealed class IntegrationManagerDownTests(IntegrationManagerDownHost host) : IClassFixture<IntegrationManagerDownHost>
{
    [Fact]
    public async Task A_trigger_while_integration_manager_is_down_is_a_503_and_no_task()
    {
        var tenant = Guid.NewGuid().ToString();
        using var client = host.ClientFor(tenant);

        var response = await client.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId = Guid.NewGuid().ToString() });

        await ApiAssert.ErrorAsync(response, HttpStatusCode.ServiceUnavailable, "DEPENDENCY_UNAVAILABLE");
        Assert.Empty((await ApiAssert.OkAsync(await client.GetAsync("/api/v1/sync/tasks")))["items"]!.AsArray());
    }
}

public sealed class RateLimitedHost : ApiHost
{
    public const int PerMinute = 3;

    protected override IEnumerable<string> ExtraArgs => [$"--api:trigger_rate_per_minute={PerMinute}", "--sync_limits:min_interval_minutes=0"];
}

/// <summary>The per-tenant trigger rate, held in Cosmos so that every API replica spends from the same bucket.</summary>
public sealed class TriggerRateLimitTests(RateLimitedHost host) : IClassFixture<RateLimitedHost>
{
    private readonly string _tenant = Guid.NewGuid().ToString();
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));

    private TriggerRateLimiter Replica(int perMinute = RateLimitedHost.PerMinute) =>
        new(host.Get<CosmosContainers>(), Options.Create(new ApiOptions { TriggerRatePerMinute = perMinute }), _clock);

    [Fact]
    public async Task Triggers_over_the_tenants_rate_are_429_RATE_LIMITED_with_Retry_After_and_store_nothing()
    {
        using var client = host.ClientFor(_tenant);
        var integrations = Enumerable.Range(0, RateLimitedHost.PerMinute + 1).Select(_ => host.IntegrationOf(_tenant)).ToList();

        var answers = new List<HttpResponseMessage>();
        foreach (var integrationId in integrations)
        {
            answers.Add(await client.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId }));
        }

        Assert.All(answers[..^1], a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));
        await ApiAssert.ErrorAsync(answers[^1], HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.InRange(answers[^1].Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        var tasks = await ApiAssert.OkAsync(await client.GetAsync("/api/v1/sync/tasks"));
        Assert.Equal(RateLimitedHost.PerMinute, tasks["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Another_tenant_has_a_bucket_of_its_own()
    {
        var limiter = Replica();
        for (var i = 0; i < RateLimitedHost.PerMinute; i++)
        {
            Assert.Null(await limiter.TryTakeAsync(_tenant, CancellationToken.None));
        }

        Assert.NotNull(await limiter.TryTakeAsync(_tenant, CancellationToken.None));
        Assert.Null(await limiter.TryTakeAsync(Guid.NewGuid().ToString(), CancellationToken.None));
    }

    [Fact]
    public async Task Replicas_taking_at_once_share_one_bucket_and_exactly_its_size_gets_through()
    {
        var replicas = Enumerable.Range(0, 8).Select(_ => Replica(perMinute: 5)).ToList();

        var waits = await Task.WhenAll(replicas.SelectMany(r => new[] { r, r }).Select(r => r.TryTakeAsync(_tenant, CancellationToken.None)));

        Assert.Equal(5, waits.Count(w => w is null));
    }

    [Fact]
    public async Task The_bucket_refills_evenly_and_Retry_After_says_when_the_next_token_comes()
    {
        var limiter = Replica(perMinute: 6);
        for (var i = 0; i < 6; i++)
        {
            await limiter.TryTakeAsync(_tenant, CancellationToken.None);
        }

        var empty = await limiter.TryTakeAsync(_tenant, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(10));
        var refilled = await limiter.TryTakeAsync(_tenant, CancellationToken.None);

        Assert.InRange(empty!.Value.TotalMilliseconds, 9_995, 10_005);
        Assert.Null(refilled);
    }

    [Fact]
    public async Task A_rate_of_zero_turns_the_limit_off_and_stores_nothing()
    {
        var limiter = Replica(perMinute: 0);

        for (var i = 0; i < 100; i++)
        {
            Assert.Null(await limiter.TryTakeAsync(_tenant, CancellationToken.None));
        }
        Assert.Null(await limiter.ReadAsync(_tenant, TriggerRateDocument.BucketId, CancellationToken.None));
    }
}
