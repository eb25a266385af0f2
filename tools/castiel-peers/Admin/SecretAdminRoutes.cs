using System.Text.Json.Nodes;

namespace IntegrationSync.CastielPeers.Admin;

/// <summary>Seeds credentials into the secret-management stand-in, and what a connection's next refresh stores there (tests and local experiments).</summary>
public static class SecretAdminRoutes
{
    public static WebApplication MapSecretAdminRoutes(this WebApplication app)
    {
        app.MapPut("/_peers/secrets/{name}", (string name, JsonObject body, PeerStore store) =>
        {
            store.Secrets[name] = Value(body);
            return Results.NoContent();
        });
        app.MapPut("/_peers/refreshed-secrets/{connectionId}", (string connectionId, JsonObject body, PeerStore store) =>
        {
            store.RefreshedSecrets[connectionId] = Value(body);
            return Results.NoContent();
        });
        return app;
    }

    /// <summary><c>{ value }</c>: a string as is, an object as its JSON text (how credentials are stored).</summary>
    private static string Value(JsonObject body) =>
        body["value"] is JsonValue text && text.TryGetValue<string>(out var value) ? value : body["value"]?.ToJsonString() ?? "";
}
