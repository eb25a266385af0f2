using System.Net;
using System.Net.Http.Json;

namespace IntegrationSync.SyncApi.Tests.Tasks;

/// <summary>No runner consumes here: every accepted task stays pending, as it would behind a busy tenant's slots.</summary>
public sealed class PendingLimitHost : ApiHost
{
    public const int Limit = 3;

    protected override IEnumerable<string> ExtraArgs =>
        ["--sync_limits:min_interval_minutes=0", $"--sync_limits:max_pending_per_tenant={Limit}", "--api:trigger_rate_per_minute=0"];
}

public sealed class PendingLimitTests(PendingLimitHost host) : IClassFixture<PendingLimitHost>
{
    [Fact]
    public async Task A_tenant_with_its_line_full_gets_429_and_nothing_is_stored_while_other_tenants_go_on()
    {
        var (tenant, other) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        using var client = host.ClientFor(tenant);
        var integrationId = host.IntegrationOf(tenant);
        for (var i = 0; i < PendingLimitHost.Limit; i++)
        {
            await ApiAssert.OkAsync(await client.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId }), HttpStatusCode.Accepted);
        }

        var refused = await client.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId });

        await ApiAssert.ErrorAsync(refused, HttpStatusCode.TooManyRequests, "TOO_MANY_PENDING");
        Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter?.Delta);
        var list = await ApiAssert.OkAsync(await client.GetAsync("/api/v1/sync/tasks?limit=100"));
        Assert.Equal(PendingLimitHost.Limit, list["items"]!.AsArray().Count);
        using var otherClient = host.ClientFor(other);
        await ApiAssert.OkAsync(await otherClient.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId = host.IntegrationOf(other) }),
            HttpStatusCode.Accepted);
    }
}
