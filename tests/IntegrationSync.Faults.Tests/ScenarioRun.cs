using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.Faults.Tests;

/// <summary>
/// One sync under one fault: a tenant and sample integration of its own, the trigger, a point to inject the fault at,
/// and the verdict every scenario must reach — every record of the source on the wire at least once, statistics exact,
/// <c>integration.sync.completed</c> once, nothing of the tenant left running, pending or holding a slot.
/// </summary>
public sealed class ScenarioRun(FaultFleet fleet, string name, int records, int pageSize = 100, int pageDelayMs = 150)
{
    private static readonly TimeSpan CompletionWait = TimeSpan.FromMinutes(4);
    private DateTimeOffset _faultAt;

    public string TenantId { get; private set; } = "";
    public string TaskId { get; private set; } = "";
    public HttpClient Api { get; private set; } = null!;

    public async Task StartAsync()
    {
        (TenantId, var integrationId, Api) = await fleet.NewTenantAsync(records, pageSize, pageDelayMs);
        var response = await Api.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId });
        response.EnsureSuccessStatusCode();
        TaskId = (await response.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();
    }

    /// <summary>Waits until a share of the records is on the wire (the sync is mid-way), then notes the time of the fault.</summary>
    public async Task MidwayAsync(double share = 0.3)
    {
        await FaultFleet.WaitAsync(() => Task.FromResult(RecordsOnWire().Count >= records * share), $"{name}: {share:P0} of the records on the wire");
        _faultAt = DateTimeOffset.UtcNow;
    }

    public async Task<ExecutionDocument?> ExecutionAsync() =>
        await new ExecutionRepository(fleet.Containers).ReadAsync(TenantId, WorkMessages.ExecutionIdFor(TaskId), CancellationToken.None);

    /// <summary>Waits for the sync to complete and checks the verdict; the row goes into the fault table.</summary>
    public async Task<FaultRow> FinishAsync(string boundedBy)
    {
        await FaultFleet.WaitAsync(async () => (await TaskAsync())?["status"]?.GetValue<string>() is SyncStatus.Completed or SyncStatus.Failed,
            $"{name}: the sync to end", timeout: CompletionWait);
        var recovered = DateTimeOffset.UtcNow;
        var task = (await TaskAsync())!;
        Assert.True(task["status"]!.GetValue<string>() == SyncStatus.Completed, $"{name}: the sync ended {task.ToJsonString()}");
        // The completion event may trail the task's status by a moment.
        await FaultFleet.WaitAsync(() => Task.FromResult(CompletedEvents() >= 1), $"{name}: integration.sync.completed");
        // A slot whose final event the runner queue missed (the queue gone) is freed by the reaper once the lease passes.
        await FaultFleet.WaitAsync(NothingLeftAsync, $"{name}: nothing of the tenant left running, pending or holding a slot", timeout: TimeSpan.FromSeconds(90));

        var expected = Enumerable.Range(0, records).Select(i => $"sample-11-{i:D7}").ToHashSet();
        var published = Publications();
        var lost = expected.Count(id => !published.Contains(id));
        var execution = (await ExecutionAsync())!;
        var counted = execution.RecordsCreated + execution.RecordsUpdated + execution.RecordsFailed;
        var exact = (execution.RecordsPublished, execution.RecordsProcessed, counted, execution.RecordsMissing) == (records, records, records, 0)
            && CompletedEvents() == 1;
        // Whatever happened to the processes, the sync stayed one trace: every message of it carries the trigger's trace id.
        var traces = fleet.Tap.Messages.Where(m => m.Envelope.Type is EventNames.SyncCompleted or EventNames.SyncRequested
                && m.Envelope.Data.TryGetProperty("taskId", out var task) && task.GetString() == TaskId)
            .Select(m => m.Properties.Headers?.TryGetValue("traceparent", out var header) == true ? HeaderValue.AsString(header)?[3..35] : null)
            .Distinct().ToList();
        Assert.True(traces is [not null], $"{name}: the sync's messages carry traces {string.Join(", ", traces)}");
        var row = new FaultRow(name, records, lost, published.Count - records, exact, (recovered - _faultAt).TotalSeconds, boundedBy);
        FaultTable.Add(row);
        Assert.True(lost == 0 && exact, $"{name}: {row} execution {System.Text.Json.JsonSerializer.Serialize(execution)}");
        return row;
    }

    /// <summary>Every publication of this task's records (duplicates kept).</summary>
    public List<string> Publications() =>
    [
        .. fleet.Tap.Messages.Where(m => m.Envelope.Type == EventNames.DataRaw).Select(m => m.Data<DataRaw>())
            .Where(d => d.SyncTaskId == TaskId).Select(d => d.ExternalId),
        .. fleet.Tap.Messages.Where(m => m.Envelope.Type == EventNames.DataRawBatch).Select(m => m.Data<DataRawBatch>())
            .Where(b => b.SyncTaskId == TaskId).SelectMany(b => b.Records).Select(r => r.ExternalId),
    ];

    public HashSet<string> RecordsOnWire() => [.. Publications()];

    private int CompletedEvents() =>
        fleet.Tap.Messages.Count(m => m.Envelope.Type == EventNames.SyncCompleted && m.Data<SyncCompleted>().TaskId == TaskId);

    private async Task<JsonObject?> TaskAsync()
    {
        try
        {
            return await Api.GetFromJsonAsync<JsonObject>($"/api/v1/sync/tasks/{TaskId}");
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private async Task<bool> NothingLeftAsync()
    {
        var open = new QueryDefinition("SELECT VALUE c.status FROM c WHERE c.tenantId = @t")
            .WithParameter("@t", TenantId);
        var statuses = new List<string>();
        foreach (var container in new[] { fleet.Containers.SyncTasks, fleet.Containers.Executions })
        {
            using var query = container.GetItemQueryIterator<string>(open, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(TenantId) });
            while (query.HasMoreResults)
            {
                statuses.AddRange(await query.ReadNextAsync());
            }
        }
        using var slots = await fleet.Containers.Leases.ReadItemStreamAsync($"tenant-slots-{TenantId}", new PartitionKey(TenantId));
        var holders = slots.IsSuccessStatusCode ? (await JsonNode.ParseAsync(slots.Content))?["holders"]?.AsArray().Count ?? 0 : 0;
        return statuses.All(SyncStatus.IsFinal) && holders == 0;
    }
}

public sealed record FaultRow(string Scenario, int Records, int Lost, int Resent, bool StatsExact, double RecoverySeconds, string BoundedBy)
{
    public override string ToString() =>
        $"| {Scenario} | {Records} | {Lost} | {Resent} | {(StatsExact ? "yes" : "NO")} | {RecoverySeconds:F1} | {BoundedBy} |";
}

/// <summary>The suite's table, one row per scenario, written where <c>FAULTS_TABLE</c> says (scripts/faults.sh prints it).</summary>
public static class FaultTable
{
    private static readonly string Path = Environment.GetEnvironmentVariable("FAULTS_TABLE")
        ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "integration-sync-fault-table.md");
    private static readonly Lock Gate = new();

    public static void Add(FaultRow row)
    {
        lock (Gate)
        {
            File.AppendAllText(Path, row + Environment.NewLine);
        }
    }
}
