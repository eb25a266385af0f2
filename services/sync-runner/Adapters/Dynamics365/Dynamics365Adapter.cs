using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Adapters;
using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters.Dynamics365;

/// <summary>
/// Dynamics 365 Web API (OData v4): reads through change tracking where the table has it, else ordered by
/// <c>modifiedon</c> then the primary key (<see cref="DynamicsReads"/>); <c>@odata.nextLink</c> paging sized by
/// <c>Prefer: odata.maxpagesize</c>; writes guarded by <c>If-Match</c> on the record's ETag. The environment must be an
/// https Dynamics host; links are followed only on it.
/// </summary>
public sealed class Dynamics365Adapter(AdapterHttpFactory http) : ISyncAdapter
{
    public const string ClientName = "adapter-dynamics365";
    private const string System = DynamicsApi.System;
    private const int LargestPage = 5000;
    private readonly AdapterHttp _http = http.Create(ClientName, System);
    private DynamicsReads Reads => field ??= new DynamicsReads(_http);

    public AdapterDescriptor Descriptor => AdapterCatalog.Dynamics365;

    public async IAsyncEnumerable<RecordPage> ReadAsync(AdapterReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var api = DynamicsApi.For(_http, request.Connection, request.EntityType);
        var sizer = new PageSizer(AdapterSettings.PageSize(request.Integration.Settings, LargestPage, 1, LargestPage, _http.MaxPageSize), _http.Options.MaxResponseBytes);
        var budget = new ReadBudget(request.MaxRecords);
        var pages = request.Cursor is null || DynamicsCursor.IsLink(request.Cursor)
            ? Reads.TrackedAsync(api, request.Cursor, sizer, budget, request.Meter, cancellationToken)
            : Reads.OrderedAsync(api, DynamicsCursor.Decode(request.Cursor), sizer, budget, request.Meter, cancellationToken);
        await foreach (var page in pages)
        {
            yield return page;
        }
    }

    public async Task<SourceRecord?> ReadOneAsync(AdapterRecordRequest request, CancellationToken cancellationToken)
    {
        var api = DynamicsApi.For(_http, request.Connection, request.EntityType);
        using var message = api.Request(HttpMethod.Get, api.RecordUrl(request.ExternalId));
        using var response = await _http.SendAsync(message, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await _http.EnsureSuccessAsync(response, cancellationToken);
        return await _http.ReadJsonAsync(response, cancellationToken) is JsonObject row ? api.ToRecord(row) : null;
    }

    /// <summary>An update without an expected version still sends <c>If-Match: *</c>, so a PATCH never turns into an upsert.</summary>
    public async Task<WriteResult> WriteAsync(AdapterWriteRequest request, CancellationToken cancellationToken)
    {
        var api = DynamicsApi.For(_http, request.Connection, request.EntityType);
        var fields = request.Fields.DeepClone().AsObject();
        foreach (var name in fields.Select(p => p.Key).Where(k => k.StartsWith("@odata.", StringComparison.Ordinal) || k is "modifiedon" or "createdon").ToList())
        {
            fields.Remove(name);
        }
        fields.Remove(api.Key);
        var create = request.ExternalId is null;
        using var message = api.Request(create ? HttpMethod.Post : HttpMethod.Patch, create ? $"{api.Base}/{api.EntitySet}" : api.RecordUrl(request.ExternalId!));
        message.Content = JsonContent.Create(fields);
        message.Headers.Add("Prefer", "return=representation");
        if (create)
        {
            message.Options.Set(AdapterHttp.NotIdempotent, true);
        }
        else
        {
            message.Headers.IfMatch.Add(request.ExpectedVersion is null ? EntityTagHeaderValue.Any : EntityTagHeaderValue.Parse(request.ExpectedVersion));
        }
        using var response = await _http.SendOrThrowAsync(message, cancellationToken);
        var body = await _http.ReadJsonAsync(response, cancellationToken) as JsonObject;
        // Without the representation (204) the new key is only in OData-EntityId: .../accounts(<guid>).
        var id = RecordIdentity.Text(body?[api.Key]) ?? request.ExternalId ?? EntityIdKey(response)
            ?? throw new AdapterException(AdapterErrorKind.Permanent, $"dynamics365: the create response has no {api.Key}");
        return new WriteResult(id, RecordIdentity.Text(body?["@odata.etag"]) ?? response.Headers.ETag?.ToString(), create);
    }

    private static string? EntityIdKey(HttpResponseMessage response) =>
        response.Headers.TryGetValues("OData-EntityId", out var values) && values.FirstOrDefault() is { } entityId
        && entityId.LastIndexOf('(') is var open and >= 0 && entityId.EndsWith(')')
            ? entityId[(open + 1)..^1]
            : null;
}
