using System.Net;
using System.Net.Http.Json;
using IntegrationSync.Shared.Limits;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.SyncApi.Tests.Tasks;

/// <summary>A host of its own whose runner queue is deleted: the mandatory work message becomes unroutable.</summary>
public sealed class PublishFailureTests : IAsyncLifetime
{
    private readonly UntappedHost _host = new();

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        await _host.DeleteQueueAsync(t => t.Runner);
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_trigger_whose_work_message_cannot_be_queued_answers_503_and_marks_the_task_failed()
    {
        var tenant = Guid.NewGuid().ToString();
        using var client = _host.ClientFor(tenant);
        var integrationId = _host.IntegrationOf(tenant);

        var response = await client.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId });

        await ApiAssert.ErrorAsync(response, HttpStatusCode.ServiceUnavailable, "DEPENDENCY_UNAVAILABLE");
        var tasks = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/sync/tasks?integrationId={integrationId}"));
        var task = Assert.Single(tasks["items"]!.AsArray())!;
        Assert.Equal(SyncStatus.Failed, task["status"]!.GetValue<string>());
        Assert.Contains("broker", task["error"]!.GetValue<string>());
        // The sync never ran, so its min-interval window was closed again.
        var window = await _host.Get<MinIntervalGate>().ReadAsync(tenant, MinIntervalWindowDocument.IdFor(integrationId), CancellationToken.None);
        Assert.Null(window);
    }
}

public sealed class UntappedHost : ApiHost
{
    protected override bool TapWire => false;
}
