using System.Net;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.SyncApi.Tests.Tasks;

public sealed class CancelTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly string _tenant = Guid.NewGuid().ToString();

    [Fact]
    public async Task Cancelling_a_pending_task_cancels_it_at_once_and_again_changes_nothing()
    {
        using var client = host.ClientFor(_tenant);
        var task = await Seed.TaskAsync(host, _tenant, SyncStatus.Pending);

        var first = await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/sync/tasks/{task.Id}/cancel", null));
        var second = await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/sync/tasks/{task.Id}/cancel", null));

        Assert.Equal("cancelled", first["status"]!.GetValue<string>());
        Assert.NotNull(first["completedAt"]);
        Assert.Equal(first.ToJsonString(), second.ToJsonString());
        var stored = await host.Get<SyncTaskRepository>().ReadAsync(_tenant, task.Id, CancellationToken.None);
        Assert.Equal(SyncStatus.Cancelled, stored!.Status);
    }

    [Theory]
    [InlineData(SyncStatus.Running)]
    [InlineData(SyncStatus.Processing)]
    public async Task Cancelling_a_running_task_asks_the_runner_to_stop_and_leaves_the_status_to_it(string status)
    {
        using var client = host.ClientFor(_tenant);
        var task = await Seed.TaskAsync(host, _tenant, status);

        var response = await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/sync/tasks/{task.Id}/cancel", null), HttpStatusCode.Accepted);
        var stored = await host.Get<SyncTaskRepository>().ReadAsync(_tenant, task.Id, CancellationToken.None);
        var again = await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/sync/tasks/{task.Id}/cancel", null), HttpStatusCode.Accepted);

        Assert.Equal(status, response["status"]!.GetValue<string>());
        Assert.Equal(status, stored!.Status);
        Assert.NotNull(stored.CancelRequestedAt);
        Assert.Equal(stored.CancelRequestedAt, response["cancelRequestedAt"]!.GetValue<string>());
        Assert.Equal(stored.CancelRequestedAt, again["cancelRequestedAt"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(SyncStatus.Completed)]
    [InlineData(SyncStatus.Failed)]
    [InlineData(SyncStatus.Cancelled)]
    public async Task Cancelling_a_finished_task_answers_it_unchanged(string status)
    {
        using var client = host.ClientFor(_tenant);
        var task = await Seed.TaskAsync(host, _tenant, status);

        var response = await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/sync/tasks/{task.Id}/cancel", null));

        Assert.Equal(status, response["status"]!.GetValue<string>());
        Assert.Null(response["cancelRequestedAt"]);
        var stored = await host.Get<SyncTaskRepository>().ReadAsync(_tenant, task.Id, CancellationToken.None);
        Assert.Equal(task.ETag, stored!.ETag);
    }

    [Fact]
    public async Task Cancelling_an_unknown_task_is_a_404()
    {
        using var client = host.ClientFor(_tenant);

        await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/sync/tasks/{Guid.NewGuid()}/cancel", null), HttpStatusCode.NotFound, "TASK_NOT_FOUND");
    }
}
