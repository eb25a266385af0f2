using System.Collections.Concurrent;
using IntegrationSync.TestSupport.VendorFakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IntegrationSync.SyncRunner.Tests.Fakes;

/// <summary>secret-management's <c>GET /api/secrets/{id}/value</c> → <c>{ value }</c>, secrets scoped by tenant.</summary>
public sealed class FakeSecretManagement : IAsyncDisposable
{
    private FakeApi _api = null!;

    public FaultPlan Faults { get; } = new() { Authorize = _ => true };
    public ConcurrentDictionary<(string Tenant, string Id), string> Secrets { get; } = new();
    public string BaseUrl => _api.BaseUrl;

    public static async Task<FakeSecretManagement> StartAsync()
    {
        var fake = new FakeSecretManagement();
        fake._api = await FakeApi.StartAsync(fake.Faults, status => $$"""{"error":"status {{status}}"}""", fake.Map);
        return fake;
    }

    private void Map(WebApplication app) =>
        app.MapGet("/api/secrets/{id}/value", async (string id, HttpRequest request) =>
        {
            if (await ServiceTokens.TenantOfAsync(request, AdapterServices.JwtSecret) is not { } tenant)
            {
                return Results.Json(new { error = "unauthorized" }, statusCode: 401);
            }
            return Secrets.TryGetValue((tenant, id), out var value)
                ? Results.Json(new { value })
                : Results.Json(new { error = "Secret not found" }, statusCode: 404);
        });

    public ValueTask DisposeAsync() => _api.DisposeAsync();
}
