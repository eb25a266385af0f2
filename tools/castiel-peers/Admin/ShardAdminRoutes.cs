using System.Text.Json.Nodes;

namespace IntegrationSync.CastielPeers.Admin;

/// <summary>Seeds shards into the shard-manager stand-in (tests and local experiments).</summary>
public static class ShardAdminRoutes
{
    public static WebApplication MapShardAdminRoutes(this WebApplication app)
    {
        app.MapPut("/_peers/shards/{id}", (string id, JsonObject body, PeerStore store) =>
        {
            body["id"] = id;
            store.Shards[id] = body;
            return Results.NoContent();
        });
        return app;
    }
}
