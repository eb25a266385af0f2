using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Adapters;
using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters.Dynamics365;

/// <summary>
/// Dynamics 365 Web API (OData v4): reads through change tracking where the table has it, else ordered by
/// <c>modifiedon</c> then the primary key (<see cref="DynamicsReads"/>); <c>@odata.nextLink</c> paging sized by
/// <c>Prefer: odata.maxpagesize</c>; writes guarded by <c>If-Match</c> on the record's ETag. The environment must be an
/// https Dynamics host; links are followed only on it. Writes: <c>DynamicsWrites.cs</c>.
/// </summary>
public sealed partial class Dynamics365Adapter(AdapterHttpFactory http) : ISyncAdapter
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

}
