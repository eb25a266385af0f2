using IntegrationSync.Faults.Tests.Processes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Storage;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.Faults.Tests;

/// <summary>
/// Executions and tasks as the original system left them in the shared containers: processing for hours, or running
/// with a heartbeat long gone, without the fleet's <c>managed</c> mark. Noted with their ETags, to prove nobody wrote them.
/// </summary>
public sealed class LegacyDocuments(string tenantId, IReadOnlyList<(string Container, string Id, string ETag)> written)
{
    public static async Task<LegacyDocuments> SeedAsync(CosmosContainers containers)
    {
        var tenantId = Guid.NewGuid().ToString();
        var longAgo = IsoTime.Format(DateTimeOffset.UtcNow.AddHours(-3));
        var written = new List<(string, string, string)>();
        foreach (var status in new[] { "processing", "processing", "running" })
        {
            var (taskId, executionId) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
            var task = await containers.SyncTasks.CreateItemAsync(new
            {
                id = taskId, taskId, tenantId, integrationId = "legacy", direction = "inbound", status, recordsProcessed = 10,
                createdAt = longAgo, updatedAt = longAgo,
            }, new PartitionKey(tenantId));
            var execution = await containers.Executions.CreateItemAsync(new
            {
                id = executionId, executionId, taskId, tenantId, integrationId = "legacy", status, recordsProcessed = 10, recordsPublished = 10,
                startedAt = longAgo, publishedAt = longAgo, heartbeatAt = longAgo, updatedAt = longAgo,
            }, new PartitionKey(tenantId));
            written.Add(("tasks", taskId, task.ETag));
            written.Add(("executions", executionId, execution.ETag));
        }
        return new LegacyDocuments(tenantId, written);
    }

    public async Task AssertUntouchedAsync(CosmosContainers containers, DurableTap tap)
    {
        foreach (var (container, id, etag) in written)
        {
            var stored = await (container == "tasks" ? containers.SyncTasks : containers.Executions)
                .ReadItemAsync<Dictionary<string, object>>(id, new PartitionKey(tenantId));
            Assert.Equal(etag, stored.ETag);
        }
        Assert.DoesNotContain(tap.Messages, m => m.Envelope.TenantId == tenantId);
    }
}
