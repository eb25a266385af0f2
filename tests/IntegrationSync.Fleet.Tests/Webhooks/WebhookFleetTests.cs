using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Limits;
using IntegrationSync.SyncRunner.Intake;
using IntegrationSync.TestSupport;

namespace IntegrationSync.Fleet.Tests.Webhooks;

/// <summary>The fleet with loopback allowed for the test's receiver, http webhook URLs, quick polls and deferral checks.</summary>
public sealed class WebhookFleet : FleetHarness
{
    protected override IEnumerable<string> ExtraArgs =>
    [
        "--outbound:allowed_networks:0=127.0.0.0/8", "--webhooks:allow_http=true", "--webhooks:delivery:poll_interval_ms=200",
        "--webhooks:inbound:response_timeout_ms=10000", "--runner:deferred_check_seconds=1",
    ];
}

public sealed class WebhookFleetTests(WebhookFleet fleet) : IClassFixture<WebhookFleet>, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task A_sync_is_announced_to_a_registration_signed_and_logged_and_a_ping_follows_through_the_api()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 10);
        var url = _receiver.NewUrl();
        var created = await fleet.Api.PostAsJsonAsync("/api/v1/webhooks",
            new { integrationId, url, events = new[] { EventNames.SyncStarted, EventNames.SyncCompleted } });
        var registration = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var (webhookId, secret) = (registration["webhookId"]!.GetValue<string>(), registration["secret"]!.GetValue<string>());

        var trigger = await fleet.Api.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId });
        var taskId = (await trigger.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();
        await fleet.WaitForTaskAsync(taskId, "completed", Wait);

        var received = await _receiver.WaitForAsync(url, 2, Wait);
        Assert.All(received, r => Assert.True(r.SignedWith(secret)));
        Assert.Equal([EventNames.SyncCompleted, EventNames.SyncStarted], received.Select(r => r.Header("X-Castiel-Event")!).Order());
        var completed = received.Single(r => r.Header("X-Castiel-Event") == EventNames.SyncCompleted).Json["data"]!;
        Assert.Equal((taskId, integrationId, 10), (completed["taskId"]!.GetValue<string>(), completed["integrationId"]!.GetValue<string>(),
            completed["recordsProcessed"]!.GetValue<int>()));
        Assert.DoesNotContain(received, r => Encoding.UTF8.GetString(r.Body).Contains(fleet.TenantId, StringComparison.Ordinal));

        var log = await WaitForLogAsync(webhookId, items => items.Count == 2 && items.All(d => d!["status"]!.GetValue<string>() == "succeeded"));
        Assert.All(log, d => Assert.Equal(200, d!["lastStatusCode"]!.GetValue<int>()));
        Assert.Equal(received.Select(r => r.Id).Order(), log.Select(d => d!["deliveryId"]!.GetValue<string>()).Order());

        var ping = await fleet.Api.PostAsync($"/api/v1/webhooks/{webhookId}/ping", null);
        Assert.Equal(HttpStatusCode.Accepted, ping.StatusCode);
        var pinged = (await _receiver.WaitForAsync(url, 3, Wait))[2];
        Assert.Equal("integration.webhook.ping", pinged.Json["type"]!.GetValue<string>());
        Assert.True(pinged.SignedWith(secret));
    }

    [Fact]
    public async Task A_burst_of_a_hundred_notifications_inside_the_minimum_interval_becomes_one_sync()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 5);
        var setup = await fleet.Api.PutAsJsonAsync($"/api/v1/integrations/{integrationId}/inbound-webhook", new { provider = "standard" });
        var endpoint = (await setup.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
        // A sync ran a moment ago: the integration's minimum interval is open.
        var gate = new MinIntervalGate(fleet.Database.Containers, TimeProvider.System);
        Assert.True((await gate.TryOpenAsync(fleet.TenantId, integrationId, TimeSpan.FromMinutes(10), "earlier-sync", CancellationToken.None)).IsAllowed);

        using var provider = new HttpClient { BaseAddress = fleet.Api.BaseAddress };
        var statuses = new List<HttpStatusCode>();
        foreach (var chunk in Enumerable.Range(0, 100).Chunk(10))
        {
            statuses.AddRange(await Task.WhenAll(chunk.Select(async i =>
                (await provider.SendAsync(Signed(endpoint, $"evt_{i}", """{"type":"record.changed"}"""))).StatusCode)));
        }
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Accepted, s));

        var deferred = new DeferredTriggers(fleet.Database.Containers);
        var id = DeferredTriggerDocument.IdFor(integrationId, null);
        var waiting = await Poll.UntilAsync(() => deferred.ReadAsync(fleet.TenantId, id, CancellationToken.None), t => t?.Coalesced == 100,
            "all 100 notifications coalesced into one deferred trigger", Wait);
        Assert.Empty(await TasksAsync(integrationId));

        // The window ends: close it and let the deferral fall due now rather than in ten minutes.
        await gate.ReleaseAsync(fleet.TenantId, integrationId, "earlier-sync", CancellationToken.None);
        await deferred.UpdateAsync(fleet.TenantId, id, t => t with { DueAt = IsoTime.Format(DateTimeOffset.UtcNow) }, CancellationToken.None);

        var tasks = await Poll.UntilAsync(() => TasksAsync(integrationId), t => t.Count > 0, "the deferred sync's task", Wait);
        await fleet.WaitForTaskAsync(tasks.Single()!["taskId"]!.GetValue<string>(), "completed", Wait);
        Assert.Null(await deferred.ReadAsync(fleet.TenantId, id, CancellationToken.None));
        Assert.Single(await TasksAsync(integrationId));
        Assert.Equal(100, waiting!.Coalesced);
    }

    private static HttpRequestMessage Signed(JsonObject endpoint, string id, string body)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var key = Convert.FromBase64String(endpoint["secret"]!.GetValue<string>()["whsec_".Length..]);
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint["url"]!.GetValue<string>())
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"))));
        return request;
    }

    private async Task<List<JsonNode?>> TasksAsync(string integrationId) =>
        [.. (await fleet.Api.GetFromJsonAsync<JsonObject>($"/api/v1/sync/tasks?integrationId={integrationId}"))!["items"]!.AsArray()];

    private async Task<List<JsonNode?>> WaitForLogAsync(string webhookId, Func<List<JsonNode?>, bool> done) =>
        await Poll.UntilAsync(async () => (List<JsonNode?>)[.. (await fleet.Api.GetFromJsonAsync<JsonObject>($"/api/v1/webhooks/{webhookId}/deliveries"))!["items"]!.AsArray()],
            done, "the delivery log", Wait);
}
