using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.SyncRunner.Slots;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;
using Microsoft.AspNetCore.Builder;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.Fleet.Tests.Runner;

/// <summary>Triggering a run through the API and reading back what it did: its execution, the records and events on the wire.</summary>
public static class FleetRuns
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    public static async Task<string> TriggerAsync(this FleetHarness fleet, string integrationId, string? entityType = null)
    {
        object body = entityType is null ? new { integrationId } : new { integrationId, entityType };
        var response = await fleet.Api.PostAsJsonAsync("/api/v1/sync/trigger", body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();
    }

    public static async Task<ExecutionDocument> ExecutionAsync(this FleetHarness fleet, string taskId) =>
        (await fleet.ExecutionsAsync(taskId)).Single();

    public static async Task<ExecutionDocument> WaitForExecutionAsync(this FleetHarness fleet, string taskId, Func<ExecutionDocument, bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            if ((await fleet.ExecutionsAsync(taskId)).FirstOrDefault() is { } execution && condition(execution))
            {
                return execution;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"the execution of task {taskId} did not reach the expected state");
    }

    /// <summary>The runner host an execution is running on.</summary>
    public static WebApplication RunnerOf(this FleetHarness fleet, ExecutionDocument execution) =>
        fleet.Runners.Single(r => r.Services.GetRequiredService<ServiceIdentity>().Instance == execution.RunnerInstance);

    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>The external id of every record the run published, single or batched, duplicates kept.</summary>
    public static List<string> PublishedIds(this FleetHarness fleet, string taskId) =>
    [
        .. fleet.Wire.OfType(EventNames.DataRaw).Select(m => m.Data<DataRaw>()).Where(d => d.SyncTaskId == taskId).Select(d => d.ExternalId),
        .. fleet.Wire.OfType(EventNames.DataRawBatch).Select(m => m.Data<DataRawBatch>()).Where(b => b.SyncTaskId == taskId)
            .SelectMany(b => b.Records).Select(r => r.ExternalId),
    ];

    public static async Task<SyncCompleted> CompletedAsync(this FleetHarness fleet, string taskId)
    {
        await fleet.Wire.WaitUntilAsync(m => m.Any(x => x.Envelope.Type == EventNames.SyncCompleted && x.Data<SyncCompleted>().TaskId == taskId),
            Wait, $"integration.sync.completed of task {taskId}");
        return fleet.Wire.OfType(EventNames.SyncCompleted).Select(m => m.Data<SyncCompleted>()).Single(c => c.TaskId == taskId);
    }

    public static async Task<SyncFailed> FailedAsync(this FleetHarness fleet, string taskId)
    {
        await fleet.Wire.WaitUntilAsync(m => m.Any(x => x.Envelope.Type == EventNames.SyncFailed && x.Data<SyncFailed>().TaskId == taskId),
            Wait, $"integration.sync.failed of task {taskId}");
        return fleet.Wire.OfType(EventNames.SyncFailed).Select(m => m.Data<SyncFailed>()).Single(f => f.TaskId == taskId);
    }

    private static Task<List<ExecutionDocument>> ExecutionsAsync(this FleetHarness fleet, string taskId)
    {
        var executions = new ExecutionRepository(fleet.Database.Containers);
        return executions.QueryAsync(fleet.TenantId,
            new QueryDefinition($"SELECT * FROM c WHERE {executions.OfKind} AND c.tenantId = @t AND c.taskId = @task")
                .WithParameter("@t", fleet.TenantId).WithParameter("@task", taskId), null, CancellationToken.None);
    }

    public static async Task<TenantSlotsDocument> TenantSlotsAsync(this FleetHarness fleet) =>
        (await new TenantSlots(fleet.Database.Containers,
                Microsoft.Extensions.Options.Options.Create(new Shared.Configuration.Options.SyncLimitsOptions()), TimeProvider.System)
            .ReadAsync(fleet.TenantId, TenantSlotsDocument.IdFor(fleet.TenantId), CancellationToken.None))!;
}
