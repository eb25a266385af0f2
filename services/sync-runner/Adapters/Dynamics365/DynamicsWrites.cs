using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters.Dynamics365;

/// <summary>
/// Writes, guarded by <c>If-Match</c> on the record's ETag; an update without an expected version still sends
/// <c>If-Match: *</c>, so a PATCH never turns into a create. A create is an upsert on the integration's alternate key
/// (<c>settings.alternateKey</c>, e.g. <c>castiel_shardid</c>) when it names one, so a retry finds its record; else a POST
/// that is never repeated. Every write carries Dataverse's <c>tag</c> parameter, which plug-ins and webhooks see as the
/// <c>tag</c> shared variable of the change.
/// </summary>
public sealed partial class Dynamics365Adapter
{
    public async Task<WriteResult> WriteAsync(AdapterWriteRequest request, CancellationToken cancellationToken)
    {
        var api = DynamicsApi.For(_http, request.Connection, request.EntityType);
        var fields = request.Fields.DeepClone().AsObject();
        foreach (var name in fields.Select(p => p.Key).Where(k => k.StartsWith("@odata.", StringComparison.Ordinal) || k is "modifiedon" or "createdon").ToList())
        {
            fields.Remove(name);
        }
        fields.Remove(api.Key);
        var alternateKey = AdapterSettings.Text(request.Connection.Integration.Settings, "alternateKey");
        var upsert = request.ExternalId is null && request.UpsertKey is not null && alternateKey is not null;
        var create = request.ExternalId is null && !upsert;
        var url = request.ExternalId is not null ? api.RecordUrl(request.ExternalId)
            : upsert ? $"{api.Base}/{api.EntitySet}({AdapterSettings.Identifier(alternateKey!, System, "alternate key")}='{request.UpsertKey!.Replace("'", "''", StringComparison.Ordinal)}')"
            : $"{api.Base}/{api.EntitySet}";
        using var message = api.Request(create ? HttpMethod.Post : HttpMethod.Patch, Tagged(url, request.WriterTag));
        message.Content = JsonContent.Create(fields);
        message.Headers.Add("Prefer", "return=representation");
        if (create)
        {
            message.Options.Set(AdapterHttp.NotIdempotent, true);
        }
        else if (!upsert)
        {
            message.Headers.IfMatch.Add(request.ExpectedVersion is null ? EntityTagHeaderValue.Any : EntityTagHeaderValue.Parse(request.ExpectedVersion));
        }
        using var response = await _http.SendOrThrowAsync(message, cancellationToken);
        var body = await _http.ReadJsonAsync(response, cancellationToken) as JsonObject;
        // Without the representation (204) the new key is only in OData-EntityId: .../accounts(<guid>).
        var id = RecordIdentity.Text(body?[api.Key]) ?? request.ExternalId ?? EntityIdKey(response)
            ?? throw new AdapterException(AdapterErrorKind.Permanent, $"dynamics365: the create response has no {api.Key}");
        return new WriteResult(id, RecordIdentity.Text(body?["@odata.etag"]) ?? response.Headers.ETag?.ToString(),
            create || (upsert && response.StatusCode == HttpStatusCode.Created));
    }

    public async Task DeleteAsync(AdapterRecordRequest request, string? expectedVersion, CancellationToken cancellationToken)
    {
        var api = DynamicsApi.For(_http, request.Connection, request.EntityType);
        using var message = api.Request(HttpMethod.Delete, api.RecordUrl(request.ExternalId));
        if (expectedVersion is not null)
        {
            message.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(expectedVersion));
        }
        using var response = await _http.SendAsync(message, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await _http.EnsureSuccessAsync(response, cancellationToken);
        }
    }

    private static string Tagged(string url, string? writerTag) => writerTag is null ? url : $"{url}?tag={Uri.EscapeDataString(writerTag)}";

    private static string? EntityIdKey(HttpResponseMessage response) =>
        response.Headers.TryGetValues("OData-EntityId", out var values) && values.FirstOrDefault() is { } entityId
        && entityId.LastIndexOf('(') is var open and >= 0 && entityId.EndsWith(')')
            ? entityId[(open + 1)..^1]
            : null;
}
