using System.Net;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.SyncApi.Tests.Executions;

public sealed class ExecutionTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly string _tenant = Guid.NewGuid().ToString();
    private static readonly DateTimeOffset Start = new(2026, 4, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_runs_of_a_task_are_listed_newest_first()
    {
        using var client = host.ClientFor(_tenant);
        var task = await Seed.TaskAsync(host, _tenant, SyncStatus.Completed);
        var older = await Seed.ExecutionAsync(host, _tenant, task.Id, Start);
        var newer = await Seed.ExecutionAsync(host, _tenant, task.Id, Start.AddHours(1), SyncStatus.Failed);
        await Seed.ExecutionAsync(host, _tenant, Guid.NewGuid().ToString(), Start.AddHours(2));

        var page = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/sync/tasks/{task.Id}/executions"));

        Assert.Equal([newer.Id, older.Id], page["items"]!.AsArray().Select(e => e!["executionId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_execution_shows_statistics_timings_error_the_truncated_flag_and_its_checkpoint()
    {
        using var client = host.ClientFor(_tenant);
        var task = await Seed.TaskAsync(host, _tenant, SyncStatus.Failed);
        var seeded = await Seed.ExecutionAsync(host, _tenant, task.Id, Start, SyncStatus.Failed);

        var execution = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/sync/executions/{seeded.Id}"));

        Assert.Equal(task.Id, execution["taskId"]!.GetValue<string>());
        Assert.Equal("failed", execution["status"]!.GetValue<string>());
        Assert.Equal("AUTH_EXPIRED", execution["errorCode"]!.GetValue<string>());
        Assert.Equal("adapter refused the credentials", execution["error"]!.GetValue<string>());
        Assert.True(execution["truncated"]!.GetValue<bool>());
        Assert.Equal(15, execution["recordsPublished"]!.GetValue<int>());
        var statistics = execution["statistics"]!;
        Assert.Equal((15, 3, 15, 7, 3, 2), (statistics["recordsPublished"]!.GetValue<int>(), statistics["recordsForwarded"]!.GetValue<int>(),
            statistics["recordsProcessed"]!.GetValue<int>(), statistics["recordsCreated"]!.GetValue<int>(),
            statistics["recordsUpdated"]!.GetValue<int>(), statistics["recordsFailed"]!.GetValue<int>()));
        var timings = execution["timings"]!;
        Assert.Equal("2026-04-02T08:00:01.000Z", timings["startedAt"]!.GetValue<string>());
        Assert.Equal("2026-04-02T08:00:04.000Z", timings["completedAt"]!.GetValue<string>());
        Assert.Equal(3000, timings["durationMs"]!.GetValue<long>());
        var checkpoint = execution["checkpoint"]!;
        Assert.Equal(("0", "15", "record_limit", 2), (checkpoint["startCursor"]!.GetValue<string>(), checkpoint["cursor"]!.GetValue<string>(),
            checkpoint["truncationReason"]!.GetValue<string>(), checkpoint["attempt"]!.GetValue<int>()));
        Assert.DoesNotContain(execution, p => p.Key.StartsWith('_') || p.Key is "id" or "tenantId" or "completionEventPublished");
    }

    [Fact]
    public async Task Unknown_executions_and_the_runs_of_an_unknown_task_are_404s()
    {
        using var client = host.ClientFor(_tenant);

        await ApiAssert.ErrorAsync(await client.GetAsync($"/api/v1/sync/executions/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "EXECUTION_NOT_FOUND");
        await ApiAssert.ErrorAsync(await client.GetAsync($"/api/v1/sync/tasks/{Guid.NewGuid()}/executions"), HttpStatusCode.NotFound, "TASK_NOT_FOUND");
    }

    [Fact]
    public async Task A_next_page_link_checkpoint_is_shown_without_its_query()
    {
        using var client = host.ClientFor(_tenant);
        var task = await Seed.TaskAsync(host, _tenant, SyncStatus.Completed);
        var seeded = await Seed.ExecutionAsync(host, _tenant, task.Id, Start);
        await host.Get<ExecutionRepository>().UpdateAsync(_tenant, seeded.Id, e => e with
        {
            StartCursor = "https://api.vendor.example/items?page=2&access_token=secret-start",
            Cursor = "https://api.vendor.example/items?page=3&access_token=secret-now",
        }, CancellationToken.None);

        var text = await client.GetStringAsync($"/api/v1/sync/executions/{seeded.Id}");

        Assert.DoesNotContain("secret-", text);
        Assert.Contains("\"cursor\":\"https://api.vendor.example/items\"", text);
    }
}
