using System.Net;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.SyncApi.Tests.Tasks;

public sealed class TaskListTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly string _tenant = Guid.NewGuid().ToString();
    private static readonly DateTimeOffset Day = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Tasks_are_listed_newest_first_page_by_page_with_a_continuation_token()
    {
        using var client = host.ClientFor(_tenant);
        var seeded = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            seeded.Add((await Seed.TaskAsync(host, _tenant, createdAt: Day.AddMinutes(i))).Id);
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/sync/tasks?limit=2{(token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token))}"));
            var items = page["items"]!.AsArray();
            Assert.InRange(items.Count, 1, 2);
            seen.AddRange(items.Select(t => t!["taskId"]!.GetValue<string>()));
            token = page["continuationToken"]?.GetValue<string>();
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(Enumerable.Reverse(seeded), seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Filters_narrow_the_list()
    {
        using var client = host.ClientFor(_tenant);
        var integrationId = Guid.NewGuid().ToString();
        var match = await Seed.TaskAsync(host, _tenant, SyncStatus.Failed, integrationId, SyncDirection.Outbound, Day.AddDays(1));
        await Seed.TaskAsync(host, _tenant, SyncStatus.Completed, integrationId, SyncDirection.Outbound, Day.AddDays(1));
        await Seed.TaskAsync(host, _tenant, SyncStatus.Failed, integrationId, SyncDirection.Inbound, Day.AddDays(1));
        await Seed.TaskAsync(host, _tenant, SyncStatus.Failed, integrationId, SyncDirection.Outbound, Day.AddDays(5));
        await Seed.TaskAsync(host, _tenant, SyncStatus.Failed, Guid.NewGuid().ToString(), SyncDirection.Outbound, Day.AddDays(1));

        var page = await ApiAssert.OkAsync(await client.GetAsync(
            $"/api/v1/sync/tasks?integrationId={integrationId}&status=failed&direction=outbound&createdFrom=2026-03-02T00:00:00Z&createdTo=2026-03-03T00:00:00Z"));

        var only = Assert.Single(page["items"]!.AsArray())!;
        Assert.Equal(match.Id, only["taskId"]!.GetValue<string>());
        Assert.Null(page["continuationToken"]);
    }

    [Fact]
    public async Task A_task_shows_no_storage_fields_and_UTC_times()
    {
        using var client = host.ClientFor(_tenant);
        var seeded = await Seed.TaskAsync(host, _tenant, createdAt: Day);

        var task = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/sync/tasks/{seeded.Id}"));

        Assert.DoesNotContain(task, p => p.Key.StartsWith('_') || p.Key == "id");
        Assert.Equal("2026-03-01T12:00:00.000Z", task["createdAt"]!.GetValue<string>());
    }

    [Fact]
    public async Task Foreign_shaped_documents_in_the_task_container_are_not_listed()
    {
        using var client = host.ClientFor(_tenant);
        var container = host.Get<IntegrationSync.Shared.Storage.CosmosContainers>().SyncTasks;
        await container.CreateItemAsync(new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(), ["tenantId"] = _tenant, ["jobId"] = "j1", ["status"] = "success",
            ["stats"] = new JsonObject { ["recordsProcessed"] = 3 }, ["createdAt"] = "2026-03-09T00:00:00.000Z",
        }, new Microsoft.Azure.Cosmos.PartitionKey(_tenant));
        var ours = await Seed.TaskAsync(host, _tenant, createdAt: Day.AddDays(-30));

        var page = await ApiAssert.OkAsync(await client.GetAsync("/api/v1/sync/tasks?createdTo=2026-02-01T00:00:00Z"));
        var all = await ApiAssert.OkAsync(await client.GetAsync("/api/v1/sync/tasks?limit=100"));

        Assert.Equal(ours.Id, Assert.Single(page["items"]!.AsArray())!["taskId"]!.GetValue<string>());
        Assert.DoesNotContain(all["items"]!.AsArray(), t => t!["status"]?.GetValue<string>() == "success");
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("status=done", "status")]
    [InlineData("direction=sideways", "direction")]
    [InlineData("integrationId=abc", "integrationId")]
    [InlineData("createdFrom=yesterday", "createdFrom")]
    [InlineData("continuationToken=garbage", "continuationToken")]
    public async Task A_bad_list_query_is_a_400_naming_the_parameter(string query, string field)
    {
        using var client = host.ClientFor(_tenant);

        var error = await ApiAssert.ErrorAsync(await client.GetAsync($"/api/v1/sync/tasks?{query}"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Contains(field, ApiAssert.Fields(error));
    }
}
