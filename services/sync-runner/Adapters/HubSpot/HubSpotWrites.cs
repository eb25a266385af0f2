using System.Net;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;

namespace IntegrationSync.SyncRunner.Adapters.HubSpot;

/// <summary>
/// Writes. HubSpot has no conditional update: an expected version is checked by reading <c>updatedAt</c> just before
/// the PATCH, which narrows but does not close the race. A create is a batch upsert on the integration's unique
/// property (<c>settings.externalIdProperty</c>, e.g. <c>castiel_id</c>) when it names one, so a retry finds its record;
/// else a POST that is never repeated. A delete archives the record.
/// </summary>
public sealed partial class HubSpotAdapter
{
    private static readonly string[] ReadOnlyProperties = ["id", "createdAt", "updatedAt", "archived", "hs_object_id", ModifiedProperty];

    public async Task<WriteResult> WriteAsync(AdapterWriteRequest request, CancellationToken cancellationToken)
    {
        var api = Api.For(_http, request.Connection, request.EntityType);
        var properties = (request.Fields["properties"] is JsonObject nested ? nested.DeepClone() : request.Fields.DeepClone()).AsObject();
        foreach (var readOnly in ReadOnlyProperties)
        {
            properties.Remove(readOnly);
        }
        if (request.ExternalId is null)
        {
            return await CreateAsync(api, request, properties, cancellationToken);
        }
        if (request.ExpectedVersion is not null)
        {
            var current = await GetAsync(api, request.ExternalId, cancellationToken)
                ?? throw new AdapterException(AdapterErrorKind.Permanent, $"hubspot: {api.ObjectType} {request.ExternalId} does not exist");
            if (!SameInstant(RecordIdentity.Text(current["updatedAt"]), request.ExpectedVersion))
            {
                throw new AdapterException(AdapterErrorKind.Conflict,
                    $"hubspot: {api.ObjectType} {request.ExternalId} changed since version {request.ExpectedVersion} (now {RecordIdentity.Text(current["updatedAt"])})");
            }
        }
        var updated = await SendAsync(api, HttpMethod.Patch, $"{api.Base}/{Uri.EscapeDataString(request.ExternalId)}",
            new JsonObject { ["properties"] = properties }, cancellationToken);
        return new WriteResult(request.ExternalId, RecordIdentity.Text(updated?["updatedAt"]), Created: false);
    }

    public async Task DeleteAsync(AdapterRecordRequest request, string? expectedVersion, CancellationToken cancellationToken)
    {
        var api = Api.For(_http, request.Connection, request.EntityType);
        if (expectedVersion is not null && await GetAsync(api, request.ExternalId, cancellationToken) is { } current
            && !SameInstant(RecordIdentity.Text(current["updatedAt"]), expectedVersion))
        {
            throw new AdapterException(AdapterErrorKind.Conflict, $"hubspot: {api.ObjectType} {request.ExternalId} changed since version {expectedVersion}");
        }
        using var message = api.Request(HttpMethod.Delete, $"{api.Base}/{Uri.EscapeDataString(request.ExternalId)}");
        using var response = await SendRawAsync(api, message, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await _http.EnsureSuccessAsync(response, cancellationToken);
        }
    }

    private async Task<WriteResult> CreateAsync(Api api, AdapterWriteRequest request, JsonObject properties, CancellationToken cancellationToken)
    {
        var idProperty = AdapterSettings.Text(request.Connection.Integration.Settings, "externalIdProperty");
        if (request.UpsertKey is not null && idProperty is not null)
        {
            properties.Remove(idProperty);
            var body = await SendAsync(api, HttpMethod.Post, $"{api.Base}/batch/upsert", new JsonObject
            {
                ["inputs"] = new JsonArray(new JsonObject { ["idProperty"] = idProperty, ["id"] = request.UpsertKey, ["properties"] = properties }),
            }, cancellationToken);
            var result = body?["results"]?[0];
            return new WriteResult(RecordIdentity.Text(result?["id"]) ?? throw new AdapterException(AdapterErrorKind.Permanent, "hubspot: the upsert response has no id"),
                RecordIdentity.Text(result?["updatedAt"]), Created: result?["new"] is JsonValue isNew && isNew.TryGetValue<bool>(out var created) && created);
        }
        var made = await SendAsync(api, HttpMethod.Post, api.Base, new JsonObject { ["properties"] = properties }, cancellationToken, idempotent: false);
        return new WriteResult(RecordIdentity.Text(made?["id"]) ?? throw new AdapterException(AdapterErrorKind.Permanent, "hubspot: the create response has no id"),
            RecordIdentity.Text(made?["updatedAt"]), Created: true);
    }

    private static bool SameInstant(string? a, string b) =>
        IsoTime.Parse(a) is { } x && IsoTime.Parse(b) is { } y ? x == y : a == b;
}
