using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Storage;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.SyncApi.Tests.Security;

/// <summary>
/// Malformed requests across every route (bodies, headers, path and query values, encodings): each is a 4xx with the
/// field named where one is to blame, and leaves no state behind — nothing stored for the tenant, nothing published.
/// Placeholders: <c>{uuid}</c> a fresh UUID, <c>{integration}</c> an integration the tenant has, <c>&lt;ff&gt;</c> the
/// byte 0xFF, <c>{long}</c> 300 characters, <c>{foreign}</c> an integration of another tenant; a body starting <c>gzip:</c> is sent gzip-compressed.
/// </summary>
public sealed class BadInputTableTests(ApiHost host) : IClassFixture<ApiHost>
{
    private const string Json = "application/json";

    /// <summary>Refused by Kestrel before the application sees it (a NUL in the path): a bare 400, no envelope.</summary>
    private const string Kestrel = "-";

    [Theory]
    // Bodies that are not UTF-8 JSON text.
    [InlineData("POST", "/api/v1/sync/trigger", """{"integrationId":"{integration}","entityType":"opp<ff>"}""", Json, null, 400, "VALIDATION_ERROR", "body")]
    [InlineData("POST", "/api/v1/sync/trigger", "<ff><fe>{<ff>}", Json, null, 400, "VALIDATION_ERROR", "body")]
    [InlineData("POST", "/api/v1/sync/trigger", """{"integrationId":"{integration}","entityType":"\ud800"}""", Json, null, 400, "VALIDATION_ERROR", "entityType")]
    [InlineData("POST", "/api/v1/sync/trigger", """{"integrationId":"{integration}","filters":{"a":["\udfff"]}}""", Json, null, 400, "VALIDATION_ERROR", "filters")]
    [InlineData("POST", "/api/v1/sync/trigger", """{"\ud800":1}""", Json, null, 400, "VALIDATION_ERROR", "body")]
    [InlineData("POST", "/api/v1/sync/trigger", """{"integrationId":"{integration}"}""", "application/json; charset=iso-8859-1", null, 400, "VALIDATION_ERROR", "body")]
    [InlineData("POST", "/api/v1/sync/trigger", """gzip:{"integrationId":"{integration}"}""", Json, "Content-Encoding: gzip", 400, "VALIDATION_ERROR", "body")]
    [InlineData("POST", "/api/v1/sync/trigger", """{"integrationId":"{integration}"}""", "text/plain", null, 415, "UNSUPPORTED_MEDIA_TYPE", null)]
    [InlineData("POST", "/api/v1/sync/trigger", "{deep}", Json, null, 400, "VALIDATION_ERROR", "body")]
    // Trigger fields that would end up in Cosmos ids or events.
    [InlineData("POST", "/api/v1/sync/trigger", """{"integrationId":"{integration}","entityType":"a/b"}""", Json, null, 400, "VALIDATION_ERROR", "entityType")]
    [InlineData("POST", "/api/v1/sync/trigger", """{"integrationId":"{integration}","entityType":"a#b"}""", Json, null, 400, "VALIDATION_ERROR", "entityType")]
    [InlineData("POST", "/api/v1/sync/trigger", """{"integrationId":"{integration}","entityType":"a?b"}""", Json, null, 400, "VALIDATION_ERROR", "entityType")]
    [InlineData("POST", "/api/v1/sync/trigger", """{"integrationId":"{integration}","entityType":"a\\b"}""", Json, null, 400, "VALIDATION_ERROR", "entityType")]
    [InlineData("POST", "/api/v1/sync/trigger", """{"integrationId":"{integration}","entityType":"a\u0000b"}""", Json, null, 400, "VALIDATION_ERROR", "entityType")]
    [InlineData("POST", "/api/v1/sync/trigger", """{"integrationId":"{integration}","entityType":"{long}"}""", Json, null, 400, "VALIDATION_ERROR", "entityType")]
    [InlineData("POST", "/api/v1/sync/trigger", """{"integrationId":"{integration}","filters":"status=open"}""", Json, null, 400, "VALIDATION_ERROR", "filters")]
    [InlineData("POST", "/api/v1/sync/trigger", """{"integrationId":"../../etc"}""", Json, null, 400, "VALIDATION_ERROR", "integrationId")]
    [InlineData("POST", "/api/v1/sync/trigger", """{"integrationId":"{uuid}"}""", Json, null, 404, "INTEGRATION_NOT_FOUND", null)]
    [InlineData("POST", "/api/v1/sync/trigger", """{"integrationId":"{integration}"}""", Json, "Idempotency-Key: {long}", 400, "VALIDATION_ERROR", "Idempotency-Key")]
    // Query values.
    [InlineData("GET", "/api/v1/sync/tasks?limit=abc", null, null, null, 400, "VALIDATION_ERROR", "limit")]
    [InlineData("GET", "/api/v1/sync/tasks?limit=1&limit=2", null, null, null, 400, "VALIDATION_ERROR", "limit")]
    [InlineData("GET", "/api/v1/sync/tasks?status=PENDING", null, null, null, 400, "VALIDATION_ERROR", "status")]
    [InlineData("GET", "/api/v1/sync/tasks?createdFrom=yesterday", null, null, null, 400, "VALIDATION_ERROR", "createdFrom")]
    [InlineData("GET", "/api/v1/sync/tasks?integrationId=%00", null, null, null, 400, "VALIDATION_ERROR", "integrationId")]
    [InlineData("GET", "/api/v1/sync/tasks?continuationToken=garbage", null, null, null, 400, "VALIDATION_ERROR", "continuationToken")]
    [InlineData("GET", "/api/v1/sync/tasks?continuationToken=v1.eyJqdW5rIjp0cnVlfQ", null, null, null, 400, "VALIDATION_ERROR", "continuationToken")]
    [InlineData("GET", "/api/v1/sync/tasks?continuationToken=v2.eyJ0b2tlbiI6IisxIn0.AAAAAAAAAAAAAAAAAAAAAA", null, null, null, 400, "VALIDATION_ERROR", "continuationToken")]
    [InlineData("GET", "/api/v1/sync/conflicts?resolved=yes", null, null, null, 400, "VALIDATION_ERROR", "resolved")]
    [InlineData("GET", "/api/v1/sync/conflicts?continuationToken=v2.e30.e30", null, null, null, 400, "VALIDATION_ERROR", "continuationToken")]
    [InlineData("GET", "/api/v1/sync/tasks/{uuid}/executions?continuationToken=%FF", null, null, null, 400, "VALIDATION_ERROR", "continuationToken")]
    // Path ids, which become Cosmos item ids.
    [InlineData("GET", "/api/v1/sync/tasks/a%23b", null, null, null, 400, "VALIDATION_ERROR", "taskId")]
    [InlineData("GET", "/api/v1/sync/tasks/%3F", null, null, null, 400, "VALIDATION_ERROR", "taskId")]
    [InlineData("GET", "/api/v1/sync/tasks/a%5Cb", null, null, null, 400, "VALIDATION_ERROR", "taskId")]
    [InlineData("GET", "/api/v1/sync/tasks/%00", null, null, null, 400, Kestrel, null)]
    [InlineData("GET", "/api/v1/sync/tasks/%20", null, null, null, 400, "VALIDATION_ERROR", "taskId")]
    [InlineData("GET", "/api/v1/sync/tasks/{long}", null, null, null, 400, "VALIDATION_ERROR", "taskId")]
    [InlineData("GET", "/api/v1/sync/tasks/a%2Fb", null, null, null, 400, "VALIDATION_ERROR", "taskId")]
    [InlineData("GET", "/api/v1/sync/tasks/a%25b", null, null, null, 400, "VALIDATION_ERROR", "taskId")]
    [InlineData("GET", "/api/v1/sync/tasks/%FF%FE", null, null, null, 400, "VALIDATION_ERROR", "taskId")]
    [InlineData("GET", "/api/v1/sync/tasks/a%20b", null, null, null, 400, "VALIDATION_ERROR", "taskId")]
    [InlineData("POST", "/api/v1/sync/tasks/a%23b/cancel", null, null, null, 400, "VALIDATION_ERROR", "taskId")]
    [InlineData("GET", "/api/v1/sync/executions/%23", null, null, null, 400, "VALIDATION_ERROR", "executionId")]
    [InlineData("GET", "/api/v1/sync/conflicts/%3F", null, null, null, 400, "VALIDATION_ERROR", "conflictId")]
    [InlineData("POST", "/api/v1/sync/conflicts/%23/resolve", """{"resolution":"source_wins"}""", Json, null, 400, "VALIDATION_ERROR", "conflictId")]
    [InlineData("POST", "/api/v1/sync/conflicts/{uuid}/resolve", """{"resolution":"custom","fields":{"x":"\ud800"}}""", Json, null, 400, "VALIDATION_ERROR", "fields")]
    [InlineData("GET", "/api/v1/webhooks/a%5Cb", null, null, null, 400, "VALIDATION_ERROR", "webhookId")]
    [InlineData("PUT", "/api/v1/webhooks/%23", """{"active":false}""", Json, null, 400, "VALIDATION_ERROR", "webhookId")]
    [InlineData("DELETE", "/api/v1/webhooks/%00", null, null, null, 400, Kestrel, null)]
    [InlineData("DELETE", "/api/v1/webhooks/%E2%80%8B", null, null, null, 400, "VALIDATION_ERROR", "webhookId")]
    [InlineData("GET", "/api/v1/integrations/not-a-uuid/webhooks", null, null, null, 400, "VALIDATION_ERROR", "integrationId")]
    // Webhook targets the fleet must never call.
    [InlineData("POST", "/api/v1/webhooks", """{"integrationId":"{uuid}","url":"https://169.254.169.254/latest/meta-data/","events":["integration.sync.completed"]}""", Json, null, 400, "VALIDATION_ERROR", "url")]
    [InlineData("POST", "/api/v1/webhooks", """{"integrationId":"{uuid}","url":"https://localhost:8080/hook","events":["integration.sync.completed"]}""", Json, null, 400, "VALIDATION_ERROR", "url")]
    [InlineData("POST", "/api/v1/webhooks", """{"integrationId":"{uuid}","url":"https://[::ffff:127.0.0.1]/hook","events":["integration.sync.completed"]}""", Json, null, 400, "VALIDATION_ERROR", "url")]
    [InlineData("POST", "/api/v1/webhooks", """{"integrationId":"{uuid}","url":"https://2130706433/hook","events":["integration.sync.completed"]}""", Json, null, 400, "VALIDATION_ERROR", "url")]
    [InlineData("POST", "/api/v1/webhooks", """{"integrationId":"{uuid}","url":"https://0x7f.1/hook","events":["integration.sync.completed"]}""", Json, null, 400, "VALIDATION_ERROR", "url")]
    [InlineData("POST", "/api/v1/webhooks", """{"integrationId":"{uuid}","url":"https://10.0.0.1/hook","events":["integration.sync.completed"]}""", Json, null, 400, "VALIDATION_ERROR", "url")]
    [InlineData("POST", "/api/v1/webhooks", """{"integrationId":"{uuid}","url":"https://metadata.google.internal/","events":["integration.sync.completed"]}""", Json, null, 400, "VALIDATION_ERROR", "url")]
    [InlineData("POST", "/api/v1/webhooks", """{"integrationId":"{uuid}","url":"https://kubernetes.default.svc/","events":["integration.sync.completed"]}""", Json, null, 400, "VALIDATION_ERROR", "url")]
    [InlineData("POST", "/api/v1/webhooks", """{"integrationId":"{uuid}","url":"https://hooks.example.com/<ff>","events":["integration.sync.completed"]}""", Json, null, 400, "VALIDATION_ERROR", "body")]
    [InlineData("PUT", "/api/v1/webhooks/{uuid}", """{"url":"https://[::1]/hook"}""", Json, null, 400, "VALIDATION_ERROR", "url")]
    // Task pause and resume.
    [InlineData("POST", "/api/v1/sync/tasks/a%23b/pause", null, null, null, 400, "VALIDATION_ERROR", "taskId")]
    [InlineData("POST", "/api/v1/sync/tasks/{long}/pause", null, null, null, 400, "VALIDATION_ERROR", "taskId")]
    [InlineData("POST", "/api/v1/sync/tasks/%3F/resume", null, null, null, 400, "VALIDATION_ERROR", "taskId")]
    [InlineData("POST", "/api/v1/sync/tasks/a%20b/resume", null, null, null, 400, "VALIDATION_ERROR", "taskId")]
    [InlineData("POST", "/api/v1/sync/tasks/{uuid}/pause", null, null, null, 404, "TASK_NOT_FOUND", null)]
    [InlineData("POST", "/api/v1/sync/tasks/{uuid}/resume", null, null, null, 404, "TASK_NOT_FOUND", null)]
    // Webhook secret rotation, delivery log, redelivery and ping.
    [InlineData("POST", "/api/v1/webhooks/a%5Cb/rotate-secret", null, null, null, 400, "VALIDATION_ERROR", "webhookId")]
    [InlineData("POST", "/api/v1/webhooks/{uuid}/rotate-secret", null, null, null, 404, "WEBHOOK_NOT_FOUND", null)]
    [InlineData("GET", "/api/v1/webhooks/%23/deliveries", null, null, null, 400, "VALIDATION_ERROR", "webhookId")]
    [InlineData("GET", "/api/v1/webhooks/{uuid}/deliveries", null, null, null, 404, "WEBHOOK_NOT_FOUND", null)]
    [InlineData("GET", "/api/v1/webhooks/{uuid}/deliveries?limit=0", null, null, null, 400, "VALIDATION_ERROR", "limit")]
    [InlineData("GET", "/api/v1/webhooks/{uuid}/deliveries?limit=101", null, null, null, 400, "VALIDATION_ERROR", "limit")]
    [InlineData("GET", "/api/v1/webhooks/{uuid}/deliveries?limit=abc", null, null, null, 400, "VALIDATION_ERROR", "limit")]
    [InlineData("GET", "/api/v1/webhooks/{uuid}/deliveries?status=bogus", null, null, null, 400, "VALIDATION_ERROR", "status")]
    [InlineData("GET", "/api/v1/webhooks/{uuid}/deliveries?status=PENDING", null, null, null, 400, "VALIDATION_ERROR", "status")]
    [InlineData("GET", "/api/v1/webhooks/{uuid}/deliveries?status=pending&status=failed", null, null, null, 400, "VALIDATION_ERROR", "status")]
    [InlineData("GET", "/api/v1/webhooks/{uuid}/deliveries?continuationToken=garbage", null, null, null, 400, "VALIDATION_ERROR", "continuationToken")]
    [InlineData("GET", "/api/v1/webhooks/{uuid}/deliveries?continuationToken=v2.e30.e30", null, null, null, 400, "VALIDATION_ERROR", "continuationToken")]
    [InlineData("GET", "/api/v1/webhooks/{uuid}/deliveries?continuationToken=%FF", null, null, null, 400, "VALIDATION_ERROR", "continuationToken")]
    [InlineData("POST", "/api/v1/webhooks/%23/deliveries/{uuid}/redeliver", null, null, null, 400, "VALIDATION_ERROR", "webhookId")]
    [InlineData("POST", "/api/v1/webhooks/{uuid}/deliveries/a%2Fb/redeliver", null, null, null, 400, "VALIDATION_ERROR", "deliveryId")]
    [InlineData("POST", "/api/v1/webhooks/{uuid}/deliveries/{long}/redeliver", null, null, null, 400, "VALIDATION_ERROR", "deliveryId")]
    [InlineData("POST", "/api/v1/webhooks/{uuid}/deliveries/{uuid}/redeliver", null, null, null, 404, "WEBHOOK_NOT_FOUND", null)]
    [InlineData("POST", "/api/v1/webhooks/%3F/ping", null, null, null, 400, "VALIDATION_ERROR", "webhookId")]
    [InlineData("POST", "/api/v1/webhooks/{uuid}/ping", null, null, null, 404, "WEBHOOK_NOT_FOUND", null)]
    // An integration's inbound webhook endpoint.
    [InlineData("PUT", "/api/v1/integrations/not-a-uuid/inbound-webhook", """{"provider":"standard"}""", Json, null, 400, "VALIDATION_ERROR", "integrationId")]
    [InlineData("PUT", "/api/v1/integrations/a%23b/inbound-webhook", """{"provider":"standard"}""", Json, null, 400, "VALIDATION_ERROR", "integrationId")]
    [InlineData("PUT", "/api/v1/integrations/{integration}/inbound-webhook", """{"provider":"zapier"}""", Json, null, 400, "VALIDATION_ERROR", "provider")]
    [InlineData("PUT", "/api/v1/integrations/{integration}/inbound-webhook", """{"provider":7}""", Json, null, 400, "VALIDATION_ERROR", "provider")]
    [InlineData("PUT", "/api/v1/integrations/{integration}/inbound-webhook", "{}", Json, null, 400, "VALIDATION_ERROR", "provider")]
    [InlineData("PUT", "/api/v1/integrations/{integration}/inbound-webhook", """{"provider":"hubspot"}""", Json, null, 400, "VALIDATION_ERROR", "secret")]
    [InlineData("PUT", "/api/v1/integrations/{integration}/inbound-webhook", """{"provider":"hubspot","secret":"short"}""", Json, null, 400, "VALIDATION_ERROR", "secret")]
    [InlineData("PUT", "/api/v1/integrations/{integration}/inbound-webhook", """{"provider":"standard","secret":"whsec_AAAA"}""", Json, null, 400, "VALIDATION_ERROR", "secret")]
    [InlineData("PUT", "/api/v1/integrations/{integration}/inbound-webhook", """{"provider":"standard","secret":123}""", Json, null, 400, "VALIDATION_ERROR", "secret")]
    [InlineData("PUT", "/api/v1/integrations/{integration}/inbound-webhook", """{"provider":"dynamics","secret":"tooshort"}""", Json, null, 400, "VALIDATION_ERROR", "secret")]
    [InlineData("PUT", "/api/v1/integrations/{integration}/inbound-webhook", """{"provider":"salesforce","secret":"0123456789abcdef","organizationId":"00D000000000001"}""", Json, null, 400, "VALIDATION_ERROR", "secret")]
    [InlineData("PUT", "/api/v1/integrations/{integration}/inbound-webhook", """{"provider":"salesforce"}""", Json, null, 400, "VALIDATION_ERROR", "organizationId")]
    [InlineData("PUT", "/api/v1/integrations/{integration}/inbound-webhook", """{"provider":"standard","organizationId":"00D000000000001"}""", Json, null, 400, "VALIDATION_ERROR", "organizationId")]
    [InlineData("PUT", "/api/v1/integrations/{integration}/inbound-webhook", """{"provider":"standard","entityType":"a#b"}""", Json, null, 400, "VALIDATION_ERROR", "entityType")]
    [InlineData("PUT", "/api/v1/integrations/{integration}/inbound-webhook", """{"provider":"standard","filters":"status=open"}""", Json, null, 400, "VALIDATION_ERROR", "filters")]
    [InlineData("PUT", "/api/v1/integrations/{integration}/inbound-webhook", """{"provider":"standard","filters":{"a":["\udfff"]}}""", Json, null, 400, "VALIDATION_ERROR", "filters")]
    [InlineData("PUT", "/api/v1/integrations/{integration}/inbound-webhook", """{"provider":"standard","tenantId":"{uuid}"}""", Json, null, 400, "VALIDATION_ERROR", "tenantId")]
    [InlineData("PUT", "/api/v1/integrations/{integration}/inbound-webhook", "[]", Json, null, 400, "VALIDATION_ERROR", "body")]
    [InlineData("PUT", "/api/v1/integrations/{integration}/inbound-webhook", """{"provider":"standard<ff>"}""", Json, null, 400, "VALIDATION_ERROR", "body")]
    [InlineData("PUT", "/api/v1/integrations/{integration}/inbound-webhook", """{"provider":"standard"}""", "text/plain", null, 415, "UNSUPPORTED_MEDIA_TYPE", null)]
    [InlineData("PUT", "/api/v1/integrations/{uuid}/inbound-webhook", """{"provider":"standard"}""", Json, null, 404, "INTEGRATION_NOT_FOUND", null)]
    [InlineData("PUT", "/api/v1/integrations/{foreign}/inbound-webhook", """{"provider":"standard"}""", Json, null, 404, "INTEGRATION_NOT_FOUND", null)]
    // Headers.
    [InlineData("GET", "/api/v1/adapters", null, null, "X-Tenant-ID: ../x", 403, "FORBIDDEN", null)]
    [InlineData("GET", "/api/v1/sync/tasks", null, null, "X-Tenant-ID: {tenant},{uuid}", 403, "FORBIDDEN", null)]
    [InlineData("GET", "/api/v1/sync/tasks", null, null, "Authorization: Basic dXNlcjpwYXNz", 401, "UNAUTHORIZED", null)]
    [InlineData("GET", "/api/v1/sync/tasks", null, null, "Authorization: Bearer a.b.c", 401, "UNAUTHORIZED", null)]
    public async Task A_malformed_request_is_a_4xx_naming_the_field_and_changes_nothing(
        string method, string path, string? body, string? contentType, string? header, int status, string code, string? field)
    {
        var tenant = Guid.NewGuid().ToString();
        var integration = host.IntegrationOf(tenant);
        using var client = host.ClientFor(tenant);
        var request = new HttpRequestMessage(new HttpMethod(method), Fill(path, integration));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Bytes(Fill(body, integration)));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
        }
        if (header is not null)
        {
            var (name, value) = (header[..header.IndexOf(':')], Fill(header[(header.IndexOf(':') + 1)..].Trim(), integration).Replace("{tenant}", tenant));
            if (name.StartsWith("Content-", StringComparison.Ordinal))
            {
                request.Content!.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var response = await client.SendAsync(request);

        if (code == Kestrel)
        {
            Assert.Equal((HttpStatusCode)status, response.StatusCode);
        }
        else if (await ApiAssert.ErrorAsync(response, (HttpStatusCode)status, code) is var error && field is not null)
        {
            Assert.Contains(field, ApiAssert.Fields(error));
        }
        Assert.Empty(await StoredForAsync(tenant));
        await AssertNothingPublishedAsync(client, tenant, integration);
    }

    private string Fill(string text, string integration) => text
        .Replace("{integration}", integration, StringComparison.Ordinal)
        .Replace("{foreign}", text.Contains("{foreign}", StringComparison.Ordinal) ? host.IntegrationOf(Guid.NewGuid().ToString()) : "", StringComparison.Ordinal)
        .Replace("{uuid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
        .Replace("{long}", new string('x', 300), StringComparison.Ordinal)
        .Replace("{deep}", """{"integrationId":"x","filters":""" + string.Concat(Enumerable.Repeat("""{"a":""", 100)) + "1" + new string('}', 101), StringComparison.Ordinal);

    private static byte[] Bytes(string body)
    {
        if (body.StartsWith("gzip:", StringComparison.Ordinal))
        {
            using var compressed = new MemoryStream();
            using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest))
            {
                gzip.Write(Encoding.UTF8.GetBytes(body["gzip:".Length..]));
            }
            return compressed.ToArray();
        }
        return Regex.Split(body, "(<ff>|<fe>)")
            .SelectMany(part => part switch { "<ff>" => [0xFF], "<fe>" => [0xFE], _ => Encoding.UTF8.GetBytes(part) }).ToArray();
    }

    /// <summary>Every document in the tenant's partition of every container, but the trigger-rate bucket (bookkeeping, not state).</summary>
    private async Task<List<string>> StoredForAsync(string tenant)
    {
        var containers = host.Get<CosmosContainers>();
        var found = new List<string>();
        foreach (var container in new[] { containers.SyncTasks, containers.Executions, containers.Conflicts, containers.Webhooks, containers.SyncState, containers.Leases, containers.WebhookDeliveries })
        {
            using var iterator = container.GetItemQueryIterator<Stored>(new QueryDefinition("SELECT c.id, c.type FROM c WHERE c.tenantId = @t").WithParameter("@t", tenant),
                requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(tenant) });
            while (iterator.HasMoreResults)
            {
                found.AddRange((await iterator.ReadNextAsync()).Where(d => d.Type != "trigger_rate").Select(d => $"{container.Id}/{d.Id}"));
            }
        }
        return found;
    }

    /// <summary>A valid trigger afterwards is the first and only message of the tenant on the wire: nothing was published before it.</summary>
    private async Task AssertNothingPublishedAsync(HttpClient client, string tenant, string integration)
    {
        var sentinel = await ApiAssert.OkAsync(await client.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId = integration }), HttpStatusCode.Accepted);
        var taskId = sentinel["taskId"]!.GetValue<string>();
        await host.Wire.WaitUntilAsync(m => m.Any(w => w.Envelope.Type == EventNames.SyncRequested && w.Data<SyncRequested>().TaskId == taskId),
            TimeSpan.FromSeconds(10), "the sentinel trigger's work message");
        var published = host.Wire.Messages.Where(m => m.Envelope.TenantId == tenant).ToList();
        Assert.Equal(taskId, Assert.Single(published).Data<SyncRequested>().TaskId);
    }

    private sealed record Stored(string Id, string? Type);
}
