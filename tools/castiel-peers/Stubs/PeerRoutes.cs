using System.Text.Json.Nodes;
using IntegrationSync.CastielPeers.Shards;
using IntegrationSync.Shared.Configuration.Options;

namespace IntegrationSync.CastielPeers.Stubs;

/// <summary>The documented routes of integration-manager, secret-management and shard-manager (reference §6) that the fleet calls; shard routes: <see cref="ShardRoutes"/>.</summary>
public static class PeerRoutes
{
    public static WebApplication MapPeerRoutes(this WebApplication app)
    {
        var api = app.MapGroup("").AddEndpointFilter<ServiceTokenFilter>();
        var refreshScripts = new ScriptedAnswers();
        var updateScripts = new ScriptedAnswers();
        var updates = new IntegrationUpdateLog();

        api.MapGet("/api/v1/integrations/{id}", (string id, HttpRequest request, PeerStore store) =>
            Find(store, id, request) is { } integration ? Results.Ok(integration) : NotFound($"Integration {id} not found"));

        api.MapPut("/api/v1/integrations/{id}", async (string id, JsonObject body, HttpRequest request, PeerStore store) =>
        {
            if (await PlayAsync(updateScripts, id, "INTEGRATION_UPDATE_FAILED", request.HttpContext) is { } scripted)
            {
                return scripted;
            }
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
            if (await PlayAsync(refreshScripts, connectionId, "TOKEN_REFRESH_FAILED", request.HttpContext) is { } scripted)
            {
                return scripted;
            }
            var integration = Find(store, id, request);
            var fails = integration?["settings"]?["refreshFails"]?.GetValue<bool>() == true;
            if (integration is not null && !fails)
            {
                StoreRefreshedSecret(store, integration, connectionId);
            }
            return Results.Ok(new { success = integration is not null && !fails });
        });

        api.MapGet("/api/secrets/{id}/value", (string id, PeerStore store) =>
            store.Secrets.TryGetValue(id, out var value) ? Results.Ok(new { value }) : NotFound($"Secret {id} not found"));

        app.MapShardRoutes(api);

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
        // Scripted answers (failures, 5xx, slow answers), consumed in order, for one connection's refresh or one integration's update.
        app.MapPut("/_peers/refresh-script/{connectionId}", (string connectionId, ScriptBody body) =>
        {
            refreshScripts.Set(connectionId, body.Steps);
            return Results.NoContent();
        });
        app.MapPut("/_peers/update-script/{id}", (string id, ScriptBody body) =>
        {
            updateScripts.Set(id, body.Steps);
            return Results.NoContent();
        });
        app.MapGet("/_peers/integration-updates/{id}", (string id) => Results.Ok(new { updates = updates.For(id) }));
        return app;
    }

    /// <summary>Plays the next scripted answer for <paramref name="key"/>; null leaves the answer to the route.</summary>
    private static async Task<IResult?> PlayAsync(ScriptedAnswers scripts, string key, string code, HttpContext context)
    {
        if (!scripts.TryNext(key, out var step))
        {
            return null;
        }
        try
        {
            await Task.Delay(step.DelayMs, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return Results.Empty;
        }
        if (step.IsError)
        {
            return Results.Json(new { statusCode = step.Status, code, error = "Scripted", message = step.Error ?? $"scripted {step.Status}" }, statusCode: step.Status);
        }
        return step.Success is { } success ? Results.Ok(new { success }) : null;
    }

    /// <summary>What integration-manager does after a refresh: the new token goes to secret-management, where the runner reads it.</summary>
    private static void StoreRefreshedSecret(PeerStore store, JsonObject integration, string connectionId)
    {
        if (integration["credentialSecretName"]?.GetValue<string>() is { } secretName && store.RefreshedSecrets.TryRemove(connectionId, out var value))
        {
            store.Secrets[secretName] = value;
        }
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
