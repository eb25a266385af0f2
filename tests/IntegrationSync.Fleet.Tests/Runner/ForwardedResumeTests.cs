using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.Fleet.Tests.Runner;

/// <summary>A fleet of its own: the test stops one of its two runners.</summary>
public sealed class ForwardedResumeTests(TwoRunnerFleet fleet) : IClassFixture<TwoRunnerFleet>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_mixed_run_resumed_after_its_runner_died_counts_its_forwarded_records_exactly()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 3000, pageSize: 100, pageDelayMs: 150);
        var response = await fleet.Api.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId, entityType = "activity" });
        var taskId = (await response.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();

        var running = await WaitForExecutionAsync(taskId, e => e.RecordsPublished >= 300);
        // The feed starts with a CRM record and has one in every six.
        Assert.Equal(running.RecordsPublished - (running.RecordsPublished + 5) / 6, running.RecordsForwarded);
        await fleet.StopHostAsync(fleet.Runners.Single(r => r.Services.GetRequiredService<ServiceIdentity>().Instance == running.RunnerInstance));

        var task = await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, Wait);
        var execution = await WaitForExecutionAsync(taskId, e => e.Status == SyncStatus.Completed);
        Assert.Equal((2, 3000, 2500, 500, 3000), (execution.Attempt, execution.RecordsPublished, execution.RecordsForwarded,
            execution.RecordsCreated, execution.RecordsProcessed));
        Assert.Equal((3000, 500), (task["recordsProcessed"]!.GetValue<int>(), task["recordsCreated"]!.GetValue<int>()));
    }

    private async Task<ExecutionDocument> WaitForExecutionAsync(string taskId, Func<ExecutionDocument, bool> condition)
    {
        var repository = new ExecutionRepository(fleet.Database.Containers);
        var query = new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @t AND c.taskId = @task")
            .WithParameter("@t", fleet.TenantId).WithParameter("@task", taskId);
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            var executions = await repository.QueryAsync(fleet.TenantId, query, null, CancellationToken.None);
            if (executions.FirstOrDefault() is { } execution && condition(execution))
            {
                return execution;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"execution of task {taskId} did not reach the expected state");
    }
}
