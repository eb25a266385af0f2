using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncApi.Errors;

namespace IntegrationSync.SyncApi.Tasks;

public sealed record TriggerSyncRequest(string IntegrationId, string Direction, string? EntityType, JsonObject? Filters)
{
    /// <summary>Reads the body field by field so that each wrong field is named in the 400.</summary>
    public static async Task<(TriggerSyncRequest? Request, IReadOnlyList<FieldError> Errors)> ReadAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        if (!http.HasJsonContentType())
        {
            return (null, [new FieldError("body", "Content-Type must be application/json")]);
        }
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return (null, [new FieldError("body", "must be valid JSON")]);
        }
        if (body is not JsonObject json)
        {
            return (null, [new FieldError("body", "must be a JSON object")]);
        }

        var errors = new List<FieldError>();
        var integrationId = Text(json, "integrationId", errors);
        if (integrationId is null && !errors.Any(e => e.Field == "integrationId"))
        {
            errors.Add(new FieldError("integrationId", "is required"));
        }
        else if (integrationId is not null && !Guid.TryParse(integrationId, out _))
        {
            errors.Add(new FieldError("integrationId", "must be a UUID"));
        }

        var direction = Text(json, "direction", errors) ?? SyncDirection.Inbound;
        if (!SyncDirection.All.Contains(direction))
        {
            errors.Add(new FieldError("direction", $"must be one of {string.Join(", ", SyncDirection.All)}"));
        }

        var entityType = Text(json, "entityType", errors);
        JsonObject? filters = null;
        if (json["filters"] is { } rawFilters)
        {
            filters = rawFilters as JsonObject;
            if (filters is null)
            {
                errors.Add(new FieldError("filters", "must be an object"));
            }
        }

        return errors.Count > 0
            ? (null, errors)
            : (new TriggerSyncRequest(integrationId!, direction, entityType, (JsonObject?)filters?.DeepClone()), errors);
    }

    private static string? Text(JsonObject json, string name, List<FieldError> errors)
    {
        if (json[name] is not { } node)
        {
            return null;
        }
        if (node is JsonValue value && value.TryGetValue<string>(out var text))
        {
            return text.Length == 0 ? null : text;
        }
        errors.Add(new FieldError(name, "must be a string"));
        return null;
    }
}
