using System.Net;
using System.Net.Http.Json;

namespace IntegrationSync.SyncApi.Tests.Tasks;

public sealed class MinIntervalDisabledHost : ApiHost
{
    protected override IEnumerable<string> ExtraArgs => ["--sync_limits:min_interval_minutes=0"];
}

public sealed class MinIntervalDisabledTests(MinIntervalDisabledHost host) : IClassFixture<MinIntervalDisabledHost>
{
    [Fact]
    public async Task A_zero_min_interval_lets_every_trigger_through()
    {
        var tenant = Guid.NewGuid().ToString();
        using var client = host.ClientFor(tenant);
        var integrationId = host.IntegrationOf(tenant);

        var first = await ApiAssert.OkAsync(await client.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId }), HttpStatusCode.Accepted);
        var second = await ApiAssert.OkAsync(await client.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId }), HttpStatusCode.Accepted);

        Assert.NotEqual(first["taskId"]!.GetValue<string>(), second["taskId"]!.GetValue<string>());
    }
}
