using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IntegrationSync.TestSupport.VendorFakes;

/// <summary>
/// integration-manager's routes the fleet calls, checking our service tokens: <c>GET /api/v1/integrations/{id}</c> over
/// <see cref="Integrations"/> (by tenant), and <c>POST /api/v1/integrations/{id}/fetch</c>: <c>limit</c>/<c>offset</c> over
/// one integration's <see cref="Records"/>, as a bare array or a <c>{data}</c> wrapper.
/// </summary>
public sealed class FakeIntegrationManager : IVendorFake
{
    private readonly string _jwtSecret;
    private FakeApi _api = null!;

    private FakeIntegrationManager(string jwtSecret) => _jwtSecret = jwtSecret;

    public FaultPlan Faults { get; } = new() { Authorize = _ => true };
    public string TenantId { get; } = Guid.NewGuid().ToString();
    public string IntegrationId { get; } = Guid.NewGuid().ToString();
    public List<JsonObject> Records { get; } = [];
    public bool WrapInData { get; set; }
    public bool IgnoreOffset { get; set; }
    public ConcurrentQueue<JsonObject> FetchBodies { get; } = new();

    /// <summary>Integrations by id, each with its <c>tenantId</c>; what GET answers (the whole object, as the stand-in does).</summary>
    public ConcurrentDictionary<string, JsonObject> Integrations { get; } = new();

    /// <summary>Answer GET with this body for every integration instead (e.g. <c>{}</c>, as Castiel's bare response schema does).</summary>
    public JsonNode? IntegrationBodyOverride { get; set; }

    public string BaseUrl => _api.BaseUrl;

    public static async Task<FakeIntegrationManager> StartAsync(string jwtSecret)
    {
        var fake = new FakeIntegrationManager(jwtSecret);
        fake._api = await FakeApi.StartAsync(fake.Faults,
            status => $$$"""{"error":{"code":"INTEGRATION_FETCH_FAILED","message":"status {{{status}}}"}}""", fake.Map);
        return fake;
    }

    /// <summary>Registers an integration of <paramref name="tenantId"/> and returns its id.</summary>
    public string AddIntegration(string tenantId, string provider = "sample")
    {
        var id = Guid.NewGuid().ToString();
        Integrations[id] = new JsonObject { ["id"] = id, ["tenantId"] = tenantId, ["providerName"] = provider, ["status"] = "connected", ["settings"] = new JsonObject() };
        return id;
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/api/v1/integrations/{id}", async (string id, HttpRequest request) =>
        {
            if (await ServiceTokens.TenantOfAsync(request, _jwtSecret) is not { } tenant)
            {
                return Unauthorized();
            }
            if (!Integrations.TryGetValue(id, out var integration) || (string?)integration["tenantId"] != tenant)
            {
                return NotFound(id);
            }
            return Results.Json(IntegrationBodyOverride?.DeepClone() ?? integration.DeepClone());
        });
        app.MapPost("/api/v1/integrations/{id}/fetch", async (string id, JsonObject body, HttpRequest request) =>
        {
            if (await ServiceTokens.TenantOfAsync(request, _jwtSecret) is not { } tenant)
            {
                return Unauthorized();
            }
            if (id != IntegrationId || tenant != TenantId)
            {
                return NotFound(id);
            }
            FetchBodies.Enqueue(body);
            var limit = (int?)body["limit"] ?? 1000;
            var offset = IgnoreOffset ? 0 : (int?)body["offset"] ?? 0;
            var page = new JsonArray(Records.Skip(offset).Take(limit).Select(r => (JsonNode?)r.DeepClone()).ToArray());
            return Results.Json(WrapInData ? new JsonObject { ["data"] = page } : page);
        });
    }

    private static IResult Unauthorized() =>
        Results.Json(new { statusCode = 401, code = "UNAUTHORIZED", error = "Unauthorized", message = "invalid service token" }, statusCode: 401);

    private static IResult NotFound(string id) =>
        Results.Json(new { statusCode = 404, code = "NOT_FOUND", error = "Not Found", message = $"Integration {id} not found" }, statusCode: 404);

    public ValueTask DisposeAsync() => _api.DisposeAsync();
}
