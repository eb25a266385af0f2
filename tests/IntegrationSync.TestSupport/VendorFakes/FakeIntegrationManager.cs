using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IntegrationSync.TestSupport.VendorFakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IntegrationSync.SyncRunner.Tests.Fakes;

/// <summary>integration-manager's <c>POST /api/v1/integrations/{id}/fetch</c>: <c>limit</c>/<c>offset</c> over one integration's records, as a bare array or a <c>{data}</c> wrapper.</summary>
public sealed class FakeIntegrationManager : IAsyncDisposable
{
    private FakeApi _api = null!;

    public FaultPlan Faults { get; } = new() { Authorize = _ => true };
    public string TenantId { get; } = Guid.NewGuid().ToString();
    public string IntegrationId { get; } = Guid.NewGuid().ToString();
    public List<JsonObject> Records { get; } = [];
    public bool WrapInData { get; set; }
    public bool IgnoreOffset { get; set; }
    public ConcurrentQueue<JsonObject> FetchBodies { get; } = new();
    public string BaseUrl => _api.BaseUrl;

    public static async Task<FakeIntegrationManager> StartAsync()
    {
        var fake = new FakeIntegrationManager();
        fake._api = await FakeApi.StartAsync(fake.Faults,
            status => $$$"""{"error":{"code":"INTEGRATION_FETCH_FAILED","message":"status {{{status}}}"}}""", fake.Map);
        return fake;
    }

    private void Map(WebApplication app) =>
        app.MapPost("/api/v1/integrations/{id}/fetch", async (string id, JsonObject body, HttpRequest request) =>
        {
            if (await ServiceTokens.TenantOfAsync(request) is not { } tenant)
            {
                return Results.Json(new { statusCode = 401, code = "UNAUTHORIZED", error = "Unauthorized", message = "invalid service token" }, statusCode: 401);
            }
            if (id != IntegrationId || tenant != TenantId)
            {
                return Results.Json(new { statusCode = 404, code = "NOT_FOUND", error = "Not Found", message = $"Integration {id} not found" }, statusCode: 404);
            }
            FetchBodies.Enqueue(body);
            var limit = (int?)body["limit"] ?? 1000;
            var offset = IgnoreOffset ? 0 : (int?)body["offset"] ?? 0;
            var page = new JsonArray(Records.Skip(offset).Take(limit).Select(r => (JsonNode?)r.DeepClone()).ToArray());
            return Results.Json(WrapInData ? new JsonObject { ["data"] = page } : page);
        });

    public ValueTask DisposeAsync() => _api.DisposeAsync();
}
