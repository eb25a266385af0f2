using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Sync;
using IntegrationSync.TestSupport;

namespace IntegrationSync.Fleet.Tests.Runner;

/// <summary>A small window of unmapped records per run, so one tenant's big sync cannot flood the shared queues.</summary>
public sealed class FairnessFleet : FleetHarness
{
    protected override IEnumerable<string> ExtraArgs =>
        ["--runner:max_unmapped_records=2000", "--sync_limits:max_records_per_sync=100000", "--sync_limits:min_interval_minutes=0"];
}

public sealed class FairnessTests(FairnessFleet fleet) : IClassFixture<FairnessFleet>
{
    [Fact]
    public async Task A_small_tenants_sync_completes_while_a_large_one_is_still_far_from_done()
    {
        var largeId = await fleet.AddSampleIntegrationAsync(count: 20_000, pageSize: 500);
        var largeTask = await fleet.TriggerAsync(largeId);
        await fleet.WaitForExecutionAsync(largeTask, e => e.RecordsPublished >= 4_000);

        // Another tenant, with a sync of its own, while the large one's records and results stream.
        var small = Guid.NewGuid().ToString();
        var smallId = Guid.NewGuid().ToString();
        (await fleet.Peers.PutAsJsonAsync($"/_peers/integrations/{smallId}", new JsonObject
        {
            ["tenantId"] = small, ["providerName"] = "sample", ["name"] = "small", ["status"] = "connected",
            ["settings"] = new JsonObject { ["count"] = 10, ["pageSize"] = 10, ["seed"] = 5 }, ["syncConfig"] = new JsonObject(),
        })).EnsureSuccessStatusCode();
        using var api = new HttpClient { BaseAddress = fleet.Api.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.UserToken(small, TestInfrastructure.JwtSecret));
        api.DefaultRequestHeaders.Add("X-Tenant-ID", small);
        var trigger = await api.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId = smallId });
        var smallTask = (await trigger.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();

        await FleetRuns.EventuallyAsync(() => Status(api, smallTask) == SyncStatus.Completed, "the small tenant's sync to complete");

        // When it did, the large one had not even published half of its records: its backlog never stood in the way.
        var large = await fleet.ExecutionAsync(largeTask);
        Assert.Equal(SyncStatus.Running, large.Status);
        Assert.InRange(large.RecordsPublished, 4_000, 12_000);
        await fleet.WaitForTaskAsync(largeTask, SyncStatus.Completed, TimeSpan.FromMinutes(3));
    }

    private static string? Status(HttpClient api, string taskId) =>
        api.GetFromJsonAsync<JsonObject>($"/api/v1/sync/tasks/{taskId}").Result?["status"]?.GetValue<string>();
}
