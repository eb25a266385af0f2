using System.Text.Json.Nodes;
using IntegrationSync.Shared.Configuration.Options;

namespace IntegrationSync.CastielPeers.Stubs;

/// <summary>The documented routes of integration-manager, secret-management and shard-manager (reference §6) that the fleet calls.</summary>
public static class PeerRoutes
{
    public static WebApplication MapPeerRoutes(this WebApplication app)
    {
        var api = app.MapGroup("").AddEndpointFilter<ServiceTokenFilter>();
        var refreshScripts = new RefreshScripts();
        var updates = new IntegrationUpdateLog();

        api.MapGet("/api/v1/integrations/{id}", (string id, HttpRequest request, PeerStore store) =>
            Find(store, id, request) is { } integration ? Results.Ok(integration) : NotFound($"Integration {id} not found"));

        api.MapPut("/api/v1/integrations/{id}", (string id, JsonObject body, HttpRequest request, PeerStore store) =>
        {
            if (Find(store, id, request) is not { } integration)
            {
                return NotFound($"Integration {id} not found");
            }
            foreach (var (key, value) in body)
            {
                integration[key] = value?.DeepClone();
            }
            updates.Record(id, body);
            return Results.Ok(new JsonObject());
        });

        api.MapPost("/api/v1/integrations/{id}/fetch", (string id, HttpRequest request, PeerStore store) =>
            Find(store, id, request) is { } integration
                ? Results.Ok(integration["settings"]?["records"]?.DeepClone() ?? new JsonArray())
                : NotFound($"Integration {id} not found"));

        api.MapPost("/api/v1/integrations/{id}/connections/{connectionId}/refresh", async (string id, string connectionId, HttpRequest request, PeerStore store) =>
        {
            store.RefreshCalls.AddOrUpdate(connectionId, 1, (_, n) => n + 1);
            if (refreshScripts.TryNext(connectionId, out var step))
            {
                try
                {
                    await Task.Delay(step.DelayMs, request.HttpContext.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return Results.Empty;
                }
                if (step.Status is { } status and (< 200 or > 299))
                {
                    return Results.Json(new { statusCode = status, code = "TOKEN_REFRESH_FAILED", error = "Scripted", message = step.Error ?? $"scripted {status}" }, statusCode: status);
                }
                if (step.Success is { } success)
                {
                    return Results.Ok(new { success });
                }
            }
            var integration = Find(store, id, request);
            var fails = integration?["settings"]?["refreshFails"]?.GetValue<bool>() == true;
            return Results.Ok(new { success = integration is not null && !fails });
        });

        api.MapGet("/api/secrets/{id}/value", (string id, PeerStore store) =>
            store.Secrets.TryGetValue(id, out var value) ? Results.Ok(new { value }) : NotFound($"Secret {id} not found"));

        api.MapGet("/api/v1/shards/{id}", (string id, PeerStore store) =>
            store.Shards.TryGetValue(id, out var shard) ? Results.Ok(shard) : NotFound($"Shard {id} not found"));

        app.MapPut("/_peers/integrations/{id}", (string id, JsonObject body, PeerStore store) =>
        {
            body["id"] = id;
            store.Integrations[id] = body;
            return Results.NoContent();
        });
        app.MapGet("/_peers/integrations/{id}", (string id, PeerStore store) =>
            store.Integrations.TryGetValue(id, out var integration) ? Results.Ok(integration) : NotFound($"Integration {id} not found"));
        app.MapGet("/_peers/refresh-calls/{connectionId}", (string connectionId, PeerStore store) =>
            Results.Ok(new { calls = store.RefreshCalls.GetValueOrDefault(connectionId) }));
        // Scripted answers of the refresh route for one connection (failures, 5xx, slow answers), consumed in order.
        app.MapPut("/_peers/refresh-script/{connectionId}", (string connectionId, RefreshScriptBody body) =>
        {
            refreshScripts.Set(connectionId, body.Steps);
            return Results.NoContent();
        });
        app.MapGet("/_peers/integration-updates/{id}", (string id) => Results.Ok(new { updates = updates.For(id) }));
        return app;
    }

    private static JsonObject? Find(PeerStore store, string id, HttpRequest request) =>
        store.Integrations.TryGetValue(id, out var integration)
        && integration["tenantId"]?.GetValue<string>() is { } tenant
        && string.Equals(tenant, request.Headers["X-Tenant-ID"].ToString(), StringComparison.OrdinalIgnoreCase)
            ? integration
            : null;

    private static IResult NotFound(string message) =>
        Results.Json(new { statusCode = 404, code = "NOT_FOUND", error = "Not Found", message }, statusCode: 404);
}
