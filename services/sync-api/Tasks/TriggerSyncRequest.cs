using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncApi.Errors;
using IntegrationSync.SyncApi.Json;

namespace IntegrationSync.SyncApi.Tasks;

/// <param name="IntegrationId">The integration to sync (UUID).</param>
/// <param name="Direction"><c>inbound</c> (default), <c>outbound</c> or <c>bidirectional</c>.</param>
/// <param name="EntityType">Restricts the sync to one entity type (optional): 1 to 128 letters, digits, <c>_ . : -</c>.</param>
/// <param name="Filters">Passed to the adapter as given (optional).</param>
public sealed partial record TriggerSyncRequest(string IntegrationId, string Direction, string? EntityType, JsonObject? Filters)
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
        if (entityType is not null && !IsEntityType(entityType))
        {
            // It becomes part of Cosmos ids and event payloads: no path or query characters, no control characters.
            body.Error("entityType", "must be 1 to 128 letters, digits, _ . : or - starting with a letter or digit");
        }
        var filters = body.Object("filters");

        return body.Errors.Count > 0
            ? (null, body.Errors)
            : (new TriggerSyncRequest(integrationId!, direction, entityType, filters), []);
    }

    /// <summary>What an entity type may be wherever it comes from (a request, a provider's notification).</summary>
    public static bool IsEntityType(string value) => EntityTypePattern().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")]
    private static partial Regex EntityTypePattern();
}
