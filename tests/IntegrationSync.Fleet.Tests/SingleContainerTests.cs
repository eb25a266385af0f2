using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Fleet.Tests.Runner;
using IntegrationSync.Shared.Sync;
using IntegrationSync.TestSupport;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.Fleet.Tests;

/// <summary>The fleet in the seed's layout: one container, <c>integration-sync_data</c>, for every document it keeps.</summary>
public sealed class SingleContainerFleet : FleetHarness
{
    public SingleContainerFleet() => Database = CosmosTestDatabase.SingleContainer(DatabaseId);

    protected override IEnumerable<string> ExtraArgs => ["--cosmos_db:layout=single", "--sync_limits:min_interval_minutes=0"];
}

public sealed class SingleContainerTests(SingleContainerFleet fleet) : IClassFixture<SingleContainerFleet>
{
    [Fact]
    public async Task A_sync_completes_with_exact_counts_and_every_document_it_leaves_is_typed_in_the_one_container()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 250, pageSize: 100);
        var taskId = await fleet.TriggerAsync(integrationId);

        await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);
        var completed = await fleet.CompletedAsync(taskId);

        Assert.Equal((250, 250), (completed.RecordsProcessed, completed.RecordsCreated));
        var listed = await fleet.Api.GetFromJsonAsync<JsonObject>($"/api/v1/sync/tasks?integrationId={integrationId}");
        Assert.Equal([taskId], listed!["items"]!.AsArray().Select(t => t!["taskId"]!.GetValue<string>()));
        var executions = await fleet.Api.GetFromJsonAsync<JsonObject>($"/api/v1/sync/tasks/{taskId}/executions");
        Assert.Equal([completed.ExecutionId], executions!["items"]!.AsArray().Select(e => e!["executionId"]!.GetValue<string>()));

        var types = await StoredTypesAsync();
        Assert.Superset(new HashSet<string?> { "sync_task", "sync_execution", "execution_tally", "published_keys", "tenant_slots" }, types.ToHashSet());
        Assert.DoesNotContain(null, types);
    }

    [Fact]
    public async Task An_id_of_one_kind_is_not_found_as_another()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 5);
        var taskId = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);
        var executionId = (await fleet.CompletedAsync(taskId)).ExecutionId;

        Assert.Equal(HttpStatusCode.NotFound, (await fleet.Api.GetAsync($"/api/v1/sync/executions/{taskId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fleet.Api.GetAsync($"/api/v1/sync/conflicts/{taskId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fleet.Api.GetAsync($"/api/v1/webhooks/{taskId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fleet.Api.GetAsync($"/api/v1/sync/tasks/{taskId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fleet.Api.GetAsync($"/api/v1/sync/executions/{executionId}")).StatusCode);
    }

    [Fact]
    public async Task Webhooks_list_only_webhooks_of_the_integration()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 1);
        var taskId = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);
        // Created after the sync, so no delivery is ever attempted to the (unresolved, never contacted) host.
        var created = await fleet.Api.PostAsJsonAsync("/api/v1/webhooks",
            new { integrationId, url = "https://hooks.example.com/castiel", events = new[] { "integration.sync.completed" } });
        created.EnsureSuccessStatusCode();
        var webhookId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["webhookId"]!.GetValue<string>();

        var listed = await fleet.Api.GetFromJsonAsync<JsonArray>($"/api/v1/integrations/{integrationId}/webhooks");

        Assert.Equal([webhookId], listed!.Select(w => w!["webhookId"]!.GetValue<string>()));
    }

    private async Task<List<string?>> StoredTypesAsync()
    {
        var container = fleet.Database.Client.GetContainer(fleet.DatabaseId, "integration-sync_data");
        var types = new List<string?>();
        using var iterator = container.GetItemQueryIterator<JsonObject>(new QueryDefinition("SELECT c.type FROM c"));
        while (iterator.HasMoreResults)
        {
            types.AddRange((await iterator.ReadNextAsync()).Select(d => d["type"]?.GetValue<string>()));
        }
        return types;
    }
}
