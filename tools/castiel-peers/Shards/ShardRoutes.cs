using System.Text.Json.Nodes;

namespace IntegrationSync.CastielPeers.Shards;

/// <summary>
/// shard-manager's shard routes the fleet and the mapper call (Edgame2/castiel2 <c>containers/shard-manager/src/routes</c>):
/// <c>GET|PUT|DELETE /api/v1/shards/{id}</c>, <c>GET /api/v1/shards</c> (a listing) and <c>POST /api/v1/shards</c>, tenant from <c>X-Tenant-ID</c>. Unlike the real
/// routes, whose bare response schema sends <c>{}</c>, they answer the shard. Under <c>/_peers</c>: seeding, reading, and
/// an edit or a deletion as a Castiel user makes it (shard-manager's update or delete, with its <c>shard.updated</c> or
/// <c>shard.deleted</c>).
/// </summary>
public static class ShardRoutes
{
    public static WebApplication MapShardRoutes(this WebApplication app, RouteGroupBuilder api)
    {
        api.MapGet("/api/v1/shards/{id}", (string id, HttpRequest request, ShardBook book) =>
            book.Find(Tenant(request), id) is { } shard ? Results.Ok(shard) : NotFound(id));
        api.MapGet("/api/v1/shards", (HttpRequest request, ShardBook book, string? shardTypeId, string? shardTypeName, int? limit, string? continuationToken) =>
            Results.Ok(book.List(Tenant(request), shardTypeId, shardTypeName, Math.Clamp(limit ?? 100, 1, 5000), continuationToken)));
        api.MapPost("/api/v1/shards", async (JsonObject body, HttpRequest request, ShardBook book, CancellationToken cancellationToken) =>
            Results.Json(await book.CreateAsync(Tenant(request), body, cancellationToken), statusCode: 201));
        api.MapPut("/api/v1/shards/{id}", (string id, JsonObject body, HttpRequest request, ShardBook book, CancellationToken cancellationToken) =>
            UpdateAsync(book, Tenant(request), id, body, cancellationToken));
        api.MapDelete("/api/v1/shards/{id}", async (string id, HttpRequest request, ShardBook book, CancellationToken cancellationToken) =>
            await book.DeleteAsync(Tenant(request), id, cancellationToken) ? Results.NoContent() : NotFound(id));

        app.MapPut("/_peers/shards/{id}", (string id, JsonObject body, PeerStore store) =>
        {
            body["id"] = id;
            store.Shards[id] = body;
            return Results.NoContent();
        });
        app.MapGet("/_peers/shards/{id}", (string id, PeerStore store) => store.Shards.TryGetValue(id, out var shard) ? Results.Ok(shard) : NotFound(id));
        app.MapGet("/_peers/shards", (string tenantId, PeerStore store) =>
            Results.Ok(new { items = store.Shards.Values.Where(s => s["tenantId"]?.GetValue<string>() == tenantId).ToList() }));
        app.MapPost("/_peers/shards/{id}/edit", (string id, string tenantId, JsonObject body, ShardBook book, CancellationToken cancellationToken) =>
            UpdateAsync(book, tenantId, id, body, cancellationToken));
        app.MapPost("/_peers/shards/{id}/delete", async (string id, string tenantId, ShardBook book, CancellationToken cancellationToken) =>
            await book.DeleteAsync(tenantId, id, cancellationToken) ? Results.NoContent() : NotFound(id));
        return app;
    }

    private static async Task<IResult> UpdateAsync(ShardBook book, string tenantId, string id, JsonObject body, CancellationToken cancellationToken)
    {
        try
        {
            return await book.UpdateAsync(tenantId, id, body, cancellationToken) is { } updated ? Results.Ok(updated) : NotFound(id);
        }
        catch (InvalidOperationException e)
        {
            return Results.Json(new { statusCode = 403, code = "FORBIDDEN", error = "Forbidden", message = e.Message }, statusCode: 403);
        }
    }

    private static string Tenant(HttpRequest request) => request.Headers["X-Tenant-ID"].ToString();

    private static IResult NotFound(string id) =>
        Results.Json(new { statusCode = 404, code = "NOT_FOUND", error = "Not Found", message = $"Shard {id} not found" }, statusCode: 404);
}
