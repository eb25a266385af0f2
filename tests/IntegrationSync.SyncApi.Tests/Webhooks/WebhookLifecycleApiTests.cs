using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Webhooks;

namespace IntegrationSync.SyncApi.Tests.Webhooks;

/// <summary>Rotation, re-enabling, the delivery log, redelivery and pings through the API (the sending is event-consumer's, tested there).</summary>
public sealed class WebhookLifecycleApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly string _tenant = Guid.NewGuid().ToString();
    private readonly string _integrationId = Guid.NewGuid().ToString();

    [Fact]
    public async Task Rotating_the_secret_shows_the_new_one_once_and_keeps_the_old_one_signing_for_the_overlap()
    {
        using var client = host.ClientFor(_tenant);
        var (id, original) = await CreateAsync(client);

        var rotated = await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/webhooks/{id}/rotate-secret", null));

        var secret = rotated["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.NotEqual(original, secret);
        var stored = await host.Get<WebhookRepository>().ReadAsync(_tenant, id, CancellationToken.None);
        Assert.Equal(secret, stored!.Secret);
        Assert.Equal(original, stored.PreviousSecrets!.Single().Secret);
        var expires = IsoTime.Parse(rotated["previousSecretExpiresAt"]!.GetValue<string>())!.Value;
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromHours(23), TimeSpan.FromHours(24));
        var read = await client.GetStringAsync($"/api/v1/webhooks/{id}");
        Assert.DoesNotContain(secret, read);
        Assert.DoesNotContain(original, read);
        Assert.Contains(rotated["previousSecretExpiresAt"]!.GetValue<string>(), read);
        await ApiAssert.ErrorAsync(await host.ClientFor(Guid.NewGuid().ToString()).PostAsync($"/api/v1/webhooks/{id}/rotate-secret", null),
            HttpStatusCode.NotFound, "WEBHOOK_NOT_FOUND");
    }

    [Fact]
    public async Task Re_enabling_a_registration_disabled_by_failures_resets_its_count_and_reason()
    {
        using var client = host.ClientFor(_tenant);
        var (id, _) = await CreateAsync(client);
        await host.Get<WebhookRepository>().UpdateAsync(_tenant, id, w => w with
        {
            Active = false, ConsecutiveFailures = 5, DisabledReason = "5 deliveries in a row failed; the last: HTTP 500", DisabledAt = IsoTime.Format(DateTimeOffset.UtcNow),
        }, CancellationToken.None);
        var disabled = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/webhooks/{id}"));

        var enabled = await ApiAssert.OkAsync(await client.PutAsJsonAsync($"/api/v1/webhooks/{id}", new { active = true }));

        Assert.Equal((false, 5, "5 deliveries in a row failed; the last: HTTP 500"),
            (disabled["active"]!.GetValue<bool>(), disabled["consecutiveFailures"]!.GetValue<int>(), disabled["disabledReason"]!.GetValue<string>()));
        Assert.Equal((true, 0), (enabled["active"]!.GetValue<bool>(), enabled["consecutiveFailures"]!.GetValue<int>()));
        Assert.Null(enabled["disabledReason"]);
        var stored = await host.Get<WebhookRepository>().ReadAsync(_tenant, id, CancellationToken.None);
        Assert.Equal((0, null), (stored!.ConsecutiveFailures, stored.DisabledReason));
    }

    [Fact]
    public async Task A_new_secret_through_put_also_keeps_the_old_one_for_the_overlap()
    {
        using var client = host.ClientFor(_tenant);
        var (id, original) = await CreateAsync(client);
        var chosen = WebhookSecrets.Generate();

        await ApiAssert.OkAsync(await client.PutAsJsonAsync($"/api/v1/webhooks/{id}", new { secret = chosen }));

        var stored = await host.Get<WebhookRepository>().ReadAsync(_tenant, id, CancellationToken.None);
        Assert.Equal((chosen, original), (stored!.Secret, stored.PreviousSecrets!.Single().Secret));
    }

    [Fact]
    public async Task The_delivery_log_is_paged_newest_first_filtered_by_status_and_sealed_to_the_tenant()
    {
        using var client = host.ClientFor(_tenant);
        var (id, _) = await CreateAsync(client);
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        for (var i = 0; i < 5; i++)
        {
            await SeedDeliveryAsync(id, i % 2 == 0 ? WebhookDeliveryDocument.Succeeded : WebhookDeliveryDocument.Failed, start.AddMinutes(i));
        }

        var first = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/webhooks/{id}/deliveries?limit=2"));
        var second = await ApiAssert.OkAsync(await client.GetAsync(
            $"/api/v1/webhooks/{id}/deliveries?limit=2&continuationToken={Uri.EscapeDataString(first["continuationToken"]!.GetValue<string>())}"));
        var failed = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/webhooks/{id}/deliveries?status=failed"));

        var times = first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(d => d!["createdAt"]!.GetValue<string>()).ToList();
        Assert.Equal(times.OrderDescending(StringComparer.Ordinal), times);
        Assert.Equal(4, times.Count);
        var item = first["items"]![0]!;
        Assert.Equal((500, 120L, "HTTP 500"), (item["lastStatusCode"]!.GetValue<int>(), item["lastLatencyMs"]!.GetValue<long>(), item["lastError"]!.GetValue<string>()));
        Assert.Equal(EventNames.SyncCompleted, item["payload"]!["type"]!.GetValue<string>());
        Assert.Equal(2, failed["items"]!.AsArray().Count);
        Assert.All(failed["items"]!.AsArray(), d => Assert.Equal("failed", d!["status"]!.GetValue<string>()));
        await ApiAssert.ErrorAsync(await host.ClientFor(Guid.NewGuid().ToString()).GetAsync($"/api/v1/webhooks/{id}/deliveries"),
            HttpStatusCode.NotFound, "WEBHOOK_NOT_FOUND");
        await ApiAssert.ErrorAsync(await client.GetAsync($"/api/v1/webhooks/{id}/deliveries?status=lost"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task Redelivering_sets_a_finished_delivery_pending_now_with_a_fresh_schedule_and_a_disabled_registration_refuses_it()
    {
        using var client = host.ClientFor(_tenant);
        var (id, _) = await CreateAsync(client);
        var delivery = await SeedDeliveryAsync(id, WebhookDeliveryDocument.Failed, DateTimeOffset.UtcNow.AddMinutes(-1));

        var response = await client.PostAsync($"/api/v1/webhooks/{id}/deliveries/{delivery.Id}/redeliver", null);

        var body = await ApiAssert.OkAsync(response, HttpStatusCode.Accepted);
        Assert.Equal(("pending", 3), (body["status"]!.GetValue<string>(), body["attempts"]!.GetValue<int>()));
        var stored = await host.Get<WebhookDeliveryRepository>().ReadAsync(_tenant, delivery.Id, CancellationToken.None);
        Assert.Equal((WebhookDeliveryDocument.Pending, 0, null, null), (stored!.Status, stored.RoundAttempts, stored.CompletedAt, stored.Ttl));
        Assert.InRange(IsoTime.Parse(stored.NextAttemptAt)!.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);

        await host.Get<WebhookRepository>().UpdateAsync(_tenant, id, w => w with { Active = false }, CancellationToken.None);
        await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/webhooks/{id}/deliveries/{delivery.Id}/redeliver", null), HttpStatusCode.Conflict,
            "WEBHOOK_DISABLED");
        var (otherId, _) = await CreateAsync(client);
        await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/webhooks/{otherId}/deliveries/{delivery.Id}/redeliver", null), HttpStatusCode.NotFound,
            "DELIVERY_NOT_FOUND");
    }

    [Fact]
    public async Task A_ping_stores_a_pending_ping_delivery_for_event_consumer_to_send()
    {
        using var client = host.ClientFor(_tenant);
        var (id, _) = await CreateAsync(client);

        var ping = await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/webhooks/{id}/ping", null), HttpStatusCode.Accepted);

        var stored = await host.Get<WebhookDeliveryRepository>().ReadAsync(_tenant, ping["deliveryId"]!.GetValue<string>(), CancellationToken.None);
        Assert.Equal((WebhookDeliveryDocument.PingKind, WebhookEvents.Ping, WebhookDeliveryDocument.Pending, id),
            (stored!.Kind, stored.EventType, stored.Status, stored.WebhookId));
        var payload = JsonNode.Parse(stored.Payload)!;
        Assert.Equal((WebhookEvents.Ping, id), (payload["type"]!.GetValue<string>(), payload["data"]!["webhookId"]!.GetValue<string>()));
        await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/webhooks/{Guid.NewGuid()}/ping", null), HttpStatusCode.NotFound, "WEBHOOK_NOT_FOUND");
    }

    private async Task<(string Id, string Secret)> CreateAsync(HttpClient client)
    {
        var created = await ApiAssert.OkAsync(await client.PostAsJsonAsync("/api/v1/webhooks",
            new { integrationId = _integrationId, url = "https://hooks.example.com/x", events = new[] { "integration.sync.completed" } }),
            HttpStatusCode.Created);
        return (created["webhookId"]!.GetValue<string>(), created["secret"]!.GetValue<string>());
    }

    private Task<WebhookDeliveryDocument> SeedDeliveryAsync(string webhookId, string status, DateTimeOffset createdAt)
    {
        var id = WebhookDeliveryDocument.NewId();
        var attempt = new DeliveryAttemptRecord(3, IsoTime.Format(createdAt), 500, 120, "HTTP 500", "boom");
        return host.Get<WebhookDeliveryRepository>().CreateAsync(new WebhookDeliveryDocument
        {
            Id = id, DeliveryId = id, TenantId = _tenant, WebhookId = webhookId, IntegrationId = _integrationId, EventType = EventNames.SyncCompleted,
            EventId = Guid.NewGuid().ToString(), Payload = $$$"""{"type":"{{{EventNames.SyncCompleted}}}","timestamp":"x","data":{"taskId":"t"}}""",
            Status = status, Attempts = 3, RoundAttempts = 3, LastStatusCode = 500, LastLatencyMs = 120, LastError = "HTTP 500", AttemptLog = [attempt],
            CreatedAt = IsoTime.Format(createdAt), CompletedAt = IsoTime.Format(createdAt), Ttl = 3600,
        }, CancellationToken.None);
    }
}
