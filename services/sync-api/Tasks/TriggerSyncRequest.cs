using System.Text.Json.Nodes;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncApi.Errors;
using IntegrationSync.SyncApi.Json;

namespace IntegrationSync.SyncApi.Tasks;

/// <param name="IntegrationId">The integration to sync (UUID).</param>
/// <param name="Direction"><c>inbound</c> (default), <c>outbound</c> or <c>bidirectional</c>.</param>
/// <param name="EntityType">Restricts the sync to one entity type (optional).</param>
/// <param name="Filters">Passed to the adapter as given (optional).</param>
public sealed record TriggerSyncRequest(string IntegrationId, string Direction, string? EntityType, JsonObject? Filters)
{
    public static async Task<(TriggerSyncRequest? Request, IReadOnlyList<FieldError> Errors)> ReadAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        var (body, readErrors) = await JsonBody.ReadAsync(http, cancellationToken);
        if (body is null)
        {
            return (null, readErrors);
        }

        var integrationId = body.RequiredUuid("integrationId");
        var direction = body.Text("direction") ?? SyncDirection.Inbound;
        if (!SyncDirection.All.Contains(direction))
        {
            body.Error("direction", $"must be one of {string.Join(", ", SyncDirection.All)}");
        }
        var entityType = body.Text("entityType");
        var filters = body.Object("filters");

        return body.Errors.Count > 0
            ? (null, body.Errors)
            : (new TriggerSyncRequest(integrationId!, direction, entityType, filters), []);
    }
}
