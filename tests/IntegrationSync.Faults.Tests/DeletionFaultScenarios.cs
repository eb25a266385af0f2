using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Sync;
using IntegrationSync.TestSupport.VendorFakes;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.Faults.Tests;

/// <summary>
/// Vendor deletions through a runner kill: a Salesforce pull whose pages carry deletions, the runner owning it killed
/// once some of them are marked and checkpointed; the resumed run takes every deletion to its shard, none twice, none lost.
/// </summary>
[Collection(FaultCollection.Name), Trait("Scope", "full")]
public sealed class DeletionFaultScenarios(FaultFleet fleet)
{
    private const int Records = 1000;
    private const string Scenario = "runner SIGKILL while a pull carries 400 vendor deletions";

    /// <summary>The runners may call the Salesforce fake on loopback, and hold no deletions for approval (the guard has its own tests).</summary>
    private static readonly Dictionary<string, string> VendorAccess = new()
    {
        ["OUTBOUND__ALLOWED_NETWORKS__0"] = "127.0.0.0/8",
        ["DELETIONS__MASS_DELETE_SHARE"] = "1",
    };

    [Fact]
    public async Task A_runner_killed_while_a_pull_carries_deletions_loses_none_of_them()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        salesforce.DefaultBatchSize = 20;
        var recent = DateTimeOffset.UtcNow.AddHours(-2);
        var ids = Enumerable.Range(0, Records).Select(i => (string)salesforce.Add($"Deal {i}", recent.AddSeconds(i))["Id"]!).ToList();
        await fleet.RestartRunnersAsync(VendorAccess);
        try
        {
            var (tenantId, integrationId, api) = await AddSalesforceAsync(salesforce);
            await CompletedAsync(api, await TriggerAsync(api, integrationId));
            await FaultFleet.WaitAsync(async () => await LinkedAsync(tenantId) == Records, "every record linked to its shard", timeout: TimeSpan.FromSeconds(120));

            var deleted = ids.Where((_, i) => i % 5 < 2).ToHashSet();
            foreach (var id in deleted)
            {
                salesforce.Delete(id, DateTimeOffset.UtcNow);
            }
            salesforce.Faults.ResponseDelay = TimeSpan.FromMilliseconds(300);
            var taskId = await TriggerAsync(api, integrationId);
            var executions = new ExecutionRepository(fleet.Containers);
            var executionId = WorkMessages.ExecutionIdFor(taskId);
            await FaultFleet.WaitAsync(async () => (await executions.ReadAsync(tenantId, executionId, CancellationToken.None))?.Deletions?.Detected >= 100,
                "a checkpoint past the first deletions");
            var owner = fleet.RunnerNamed((await executions.ReadAsync(tenantId, executionId, CancellationToken.None))!.RunnerInstance)
                ?? throw new InvalidOperationException("no runner owns the execution");
            var faultAt = DateTimeOffset.UtcNow;
            await owner.KillAsync();
            fleet.Runners.Remove(owner);
            fleet.Runners.Add(await fleet.StartAsync(owner.Name, "services/sync-runner", "IntegrationSync.SyncRunner", VendorAccess));
            await CompletedAsync(api, taskId);
            var recovered = DateTimeOffset.UtcNow;

            var execution = (await executions.ReadAsync(tenantId, executionId, CancellationToken.None))!;
            var status = (await fleet.PeersHttp.GetFromJsonAsync<JsonObject>($"/_peers/shards?tenantId={tenantId}"))!["items"]!.AsArray()
                .Select(s => s!.AsObject()).ToDictionary(s => (string)s["metadata"]!["externalId"]!, s => (string?)s["status"]);
            var lost = deleted.Count(id => status[id] != "deleted");
            var wronglyDeleted = ids.Count(id => !deleted.Contains(id) && status[id] == "deleted");
            var exact = (execution.Deletions!.Detected, execution.Deletions.Propagated, wronglyDeleted) == (deleted.Count, deleted.Count, 0);
            var row = new FaultRow(Scenario, deleted.Count, lost, execution.RecordsResent, exact, (recovered - faultAt).TotalSeconds,
                "runner.lease_seconds (5) + reaper interval (1); deletions are marked before the checkpoint that passes them");
            FaultTable.Add(row);
            Assert.True(execution.Attempt >= 2, $"the run was resumed: attempt {execution.Attempt}");
            Assert.True(lost == 0 && exact, $"{row} deletions {System.Text.Json.JsonSerializer.Serialize(execution.Deletions)}, {wronglyDeleted} live records deleted");
        }
        finally
        {
            await fleet.RestartRunnersAsync(null);
        }
    }

    private static async Task<string> TriggerAsync(HttpClient api, string integrationId)
    {
        var response = await api.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId, direction = "inbound", entityType = "opportunity" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();
    }

    private static async Task CompletedAsync(HttpClient api, string taskId)
    {
        await FaultFleet.WaitAsync(async () => (await api.GetFromJsonAsync<JsonObject>($"/api/v1/sync/tasks/{taskId}"))?["status"]?.GetValue<string>()
            is SyncStatus.Completed or SyncStatus.Failed, $"task {taskId} to end", timeout: TimeSpan.FromSeconds(180));
        var status = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/sync/tasks/{taskId}"))!["status"]!.GetValue<string>();
        Assert.True(status == SyncStatus.Completed, $"task {taskId} ended {status}");
    }

    private async Task<(string TenantId, string IntegrationId, HttpClient Api)> AddSalesforceAsync(FakeSalesforce salesforce)
    {
        var (tenantId, integrationId, secret) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), $"salesforce-{Guid.NewGuid():N}");
        (await fleet.PeersHttp.PutAsJsonAsync($"/_peers/secrets/{secret}", new JsonObject
        {
            ["value"] = new JsonObject { ["instanceUrl"] = salesforce.InstanceUrl, ["accessToken"] = salesforce.Faults.ValidToken },
        })).EnsureSuccessStatusCode();
        (await fleet.PeersHttp.PutAsJsonAsync($"/_peers/integrations/{integrationId}", new JsonObject
        {
            ["id"] = integrationId, ["tenantId"] = tenantId, ["providerName"] = "salesforce", ["name"] = "fault suite deletions", ["status"] = "connected",
            ["credentialSecretName"] = secret, ["settings"] = new JsonObject { ["fields"] = "Name,Amount" },
            ["syncConfig"] = new JsonObject
            {
                ["syncDirection"] = "inbound",
                ["entityMappings"] = new JsonArray(new JsonObject
                {
                    ["id"] = "m1", ["externalEntity"] = "opportunity", ["shardTypeId"] = "c_opportunity", ["enabled"] = true,
                    ["fieldMappings"] = new JsonArray(new JsonObject { ["externalField"] = "Name", ["shardField"] = "name" }),
                }),
            },
        })).EnsureSuccessStatusCode();
        return (tenantId, integrationId, fleet.ApiFor(tenantId));
    }

    private async Task<int> LinkedAsync(string tenantId)
    {
        var query = new QueryDefinition("SELECT VALUE COUNT(1) FROM c WHERE c.tenantId = @t AND IS_STRING(c.shardId)").WithParameter("@t", tenantId);
        using var iterator = fleet.Containers.SyncRecords.GetItemQueryIterator<int>(query);
        var count = 0;
        while (iterator.HasMoreResults)
        {
            count += (await iterator.ReadNextAsync()).Sum();
        }
        return count;
    }
}
