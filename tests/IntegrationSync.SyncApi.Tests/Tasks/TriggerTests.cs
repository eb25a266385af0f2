using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.SyncApi.Tests.Tasks;

public sealed class TriggerTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly string _tenant = Guid.NewGuid().ToString();

    [Fact]
    public async Task Trigger_stores_a_pending_task_and_publishes_the_work_before_answering_202()
    {
        using var client = host.ClientFor(_tenant);
        var integrationId = host.IntegrationOf(_tenant);

        var response = await client.PostAsJsonAsync("/api/v1/sync/trigger",
            new { integrationId, direction = "outbound", entityType = "contact", filters = new { since = "2026-01-01" } });

        var accepted = await ApiAssert.OkAsync(response, HttpStatusCode.Accepted);
        var taskId = accepted["taskId"]!.GetValue<string>();
        Assert.Equal("pending", accepted["status"]!.GetValue<string>());
        var task = await host.Get<SyncTaskRepository>().ReadAsync(_tenant, taskId, CancellationToken.None);
        Assert.NotNull(task);
        Assert.Equal((SyncStatus.Pending, integrationId, "outbound", "contact"), (task.Status, task.IntegrationId, task.Direction, task.EntityType));
        await host.Wire.WaitUntilAsync(m => m.Any(w => w.Envelope.Type == EventNames.SyncRequested && w.Data<SyncRequested>().TaskId == taskId),
            TimeSpan.FromSeconds(10), "the work message");
        var work = host.Wire.OfType(EventNames.SyncRequested).Single(w => w.Data<SyncRequested>().TaskId == taskId);
        Assert.Equal(_tenant, work.Envelope.TenantId);
        Assert.Equal("2026-01-01", work.Data<SyncRequested>().Filters!["since"]!.GetValue<string>());
    }

    [Fact]
    public async Task Trigger_inside_min_interval_returns_429_with_Retry_After_and_creates_no_task()
    {
        using var client = host.ClientFor(_tenant);
        var integrationId = host.IntegrationOf(_tenant);
        await ApiAssert.OkAsync(await client.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId }), HttpStatusCode.Accepted);

        var refused = await client.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId });

        await ApiAssert.ErrorAsync(refused, HttpStatusCode.TooManyRequests, "SYNC_MIN_INTERVAL");
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 1, 5 * 60);
        var tasks = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/sync/tasks?integrationId={integrationId}"));
        Assert.Single(tasks["items"]!.AsArray());
    }

    [Fact]
    public async Task Of_concurrent_triggers_of_one_integration_one_is_accepted_and_the_rest_get_429()
    {
        using var client = host.ClientFor(_tenant);
        var integrationId = host.IntegrationOf(_tenant);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Accepted), r =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
            Assert.True(r.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        });
        var tasks = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/sync/tasks?integrationId={integrationId}"));
        Assert.Single(tasks["items"]!.AsArray());
    }

    [Fact]
    public async Task A_retried_trigger_with_the_same_Idempotency_Key_returns_the_same_task()
    {
        using var client = host.ClientFor(_tenant);
        var integrationId = host.IntegrationOf(_tenant);
        var key = Guid.NewGuid().ToString("N");

        var first = await ApiAssert.OkAsync(await TriggerWithKeyAsync(client, integrationId, key), HttpStatusCode.Accepted);
        var second = await ApiAssert.OkAsync(await TriggerWithKeyAsync(client, integrationId, key), HttpStatusCode.Accepted);

        var taskId = first["taskId"]!.GetValue<string>();
        Assert.Equal(taskId, second["taskId"]!.GetValue<string>());
        var task = await host.Get<SyncTaskRepository>().ReadAsync(_tenant, taskId, CancellationToken.None);
        Assert.Equal(key, task!.IdempotencyKey);
        var tasks = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/sync/tasks?integrationId={integrationId}"));
        Assert.Single(tasks["items"]!.AsArray());
    }

    [Fact]
    public async Task Concurrent_retries_with_one_Idempotency_Key_create_one_task_and_one_work_message()
    {
        using var client = host.ClientFor(_tenant);
        var integrationId = host.IntegrationOf(_tenant);
        var key = Guid.NewGuid().ToString("N");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => TriggerWithKeyAsync(client, integrationId, key)));

        var bodies = await Task.WhenAll(responses.Select(r => ApiAssert.OkAsync(r, HttpStatusCode.Accepted)));
        var taskId = Assert.Single(bodies.Select(b => b["taskId"]!.GetValue<string>()).Distinct());
        var tasks = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/sync/tasks?integrationId={integrationId}"));
        Assert.Single(tasks["items"]!.AsArray());
        await host.Wire.WaitUntilAsync(m => m.Any(w => w.Envelope.Type == EventNames.SyncRequested && w.Data<SyncRequested>().TaskId == taskId),
            TimeSpan.FromSeconds(10), "the work message");
        Assert.Single(host.Wire.OfType(EventNames.SyncRequested), w => w.Data<SyncRequested>().TaskId == taskId);
    }

    [Fact]
    public async Task An_Idempotency_Key_reused_for_another_request_is_a_422()
    {
        using var client = host.ClientFor(_tenant);
        var key = Guid.NewGuid().ToString("N");
        await ApiAssert.OkAsync(await TriggerWithKeyAsync(client, host.IntegrationOf(_tenant), key), HttpStatusCode.Accepted);

        var reused = await TriggerWithKeyAsync(client, host.IntegrationOf(_tenant), key);

        await ApiAssert.ErrorAsync(reused, HttpStatusCode.UnprocessableEntity, "IDEMPOTENCY_KEY_REUSED");
    }

    [Fact]
    public async Task The_same_Idempotency_Key_in_another_tenant_is_another_task()
    {
        var other = Guid.NewGuid().ToString();
        using var a = host.ClientFor(_tenant);
        using var b = host.ClientFor(other);
        var key = Guid.NewGuid().ToString("N");

        var first = await ApiAssert.OkAsync(await TriggerWithKeyAsync(a, host.IntegrationOf(_tenant), key), HttpStatusCode.Accepted);
        var second = await ApiAssert.OkAsync(await TriggerWithKeyAsync(b, host.IntegrationOf(other), key), HttpStatusCode.Accepted);

        Assert.NotEqual(first["taskId"]!.GetValue<string>(), second["taskId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Over_the_concurrency_limit_a_trigger_is_accepted_and_waits_pending()
    {
        using var client = host.ClientFor(_tenant);
        for (var i = 0; i < 3; i++)
        {
            await Seed.TaskAsync(host, _tenant, SyncStatus.Running);
        }

        var accepted = await ApiAssert.OkAsync(
            await client.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId = host.IntegrationOf(_tenant) }), HttpStatusCode.Accepted);

        var task = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/sync/tasks/{accepted["taskId"]}"));
        Assert.Equal("pending", task["status"]!.GetValue<string>());
    }

    internal static Task<HttpResponseMessage> TriggerWithKeyAsync(HttpClient client, string integrationId, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sync/trigger") { Content = JsonContent.Create(new JsonObject { ["integrationId"] = integrationId }) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}
