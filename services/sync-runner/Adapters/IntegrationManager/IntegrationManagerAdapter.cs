using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Adapters;
using IntegrationSync.Shared.Security;
using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters.IntegrationManager;

/// <summary>
/// Delegates reads to integration-manager's <c>/fetch</c>, which runs the provider adapter there (reference §6.2):
/// <c>limit</c>/<c>offset</c> paging, the cursor is the next offset, a page shorter than the limit is the last.
/// </summary>
public sealed class IntegrationManagerAdapter(AdapterHttpFactory http, ServiceTokenIssuer tokens) : ISyncAdapter
{
    public const string ClientName = "adapter-integration-manager";
    private readonly AdapterHttp _http = http.Create(ClientName, "integration-manager");

    public AdapterDescriptor Descriptor => AdapterCatalog.IntegrationManager;

    public async IAsyncEnumerable<RecordPage> ReadAsync(AdapterReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var limit = AdapterSettings.PageSize(request.Integration.Settings, 1000, 1, 10_000, _http.MaxPageSize);
        var offset = int.TryParse(request.Cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : 0;
        string? previousFirst = null;
        while (true)
        {
            var records = await FetchAsync(request.Connection, request.EntityType, request.Filters, limit, offset, request.Meter, cancellationToken);
            // A provider behind /fetch that ignores offset would hand out its first page forever.
            if (records.Count > 0 && records[0].ExternalId == previousFirst)
            {
                throw new AdapterException(AdapterErrorKind.Permanent,
                    $"integration-manager /fetch returned the same page again at offset {offset} for integration {request.Integration.Id}: its provider ignores offset paging");
            }
            previousFirst = records.Count > 0 ? records[0].ExternalId : null;
            offset += records.Count;
            var last = records.Count < limit;
            yield return new RecordPage(records, last ? null : offset.ToString(CultureInfo.InvariantCulture));
            if (last)
            {
                yield break;
            }
        }
    }

    /// <summary>The peer has no read-one route: fetch filtered by id and scan, which stays correct when the provider ignores the filter.</summary>
    public async Task<SourceRecord?> ReadOneAsync(AdapterRecordRequest request, CancellationToken cancellationToken)
    {
        var read = new AdapterReadRequest(request.Connection, request.EntityType, new JsonObject { ["id"] = request.ExternalId }, Cursor: null);
        await foreach (var page in ReadAsync(read, cancellationToken))
        {
            if (page.Records.FirstOrDefault(r => r.ExternalId == request.ExternalId) is { } found)
            {
                return found;
            }
        }
        return null;
    }

    public Task<WriteResult> WriteAsync(AdapterWriteRequest request, CancellationToken cancellationToken) => throw NoWrites();

    public Task DeleteAsync(AdapterRecordRequest request, string? expectedVersion, CancellationToken cancellationToken) => throw NoWrites();

    private static AdapterException NoWrites() => new(AdapterErrorKind.Permanent,
        "integration-manager has no write route (POST /api/v1/integrations/{id}/push does not exist); "
        + "configure the integration with a provider adapter that supports writes (salesforce, hubspot, dynamics365, rest)");

    private async Task<List<SourceRecord>> FetchAsync(
        AdapterConnection connection, string entityType, JsonObject? filters, int limit, int offset, ReadMeter meter, CancellationToken cancellationToken)
    {
        var tenantId = connection.TenantId
            ?? throw new AdapterException(AdapterErrorKind.Permanent, "The connection has no tenant id; integration-manager calls are tenant-scoped (resolve connections with AdapterConnectionResolver)");
        using var message = new HttpRequestMessage(HttpMethod.Post, $"api/v1/integrations/{Uri.EscapeDataString(connection.Integration.Id)}/fetch")
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["entityType"] = entityType,
                ["filters"] = filters?.DeepClone() ?? new JsonObject(),
                ["limit"] = limit,
                ["offset"] = offset,
            }),
        };
        tokens.Authorize(message, tenantId);
        var body = await _http.SendForJsonAsync(meter.Attach(message, "fetch"), cancellationToken);
        var items = body switch
        {
            JsonArray array => array,
            JsonObject { } wrapper when wrapper["data"] is JsonArray data => data,
            null => [],
            _ => throw new AdapterException(AdapterErrorKind.Permanent,
                $"integration-manager /fetch answered neither a JSON array nor {{data:[...]}} for integration {connection.Integration.Id}"),
        };
        var records = new List<SourceRecord>(items.Count);
        foreach (var item in items)
        {
            // A scalar row is kept, not dropped: nothing is lost silently.
            var data = item as JsonObject ?? new JsonObject { ["value"] = item?.DeepClone() };
            records.Add(new SourceRecord(RecordIdentity.Of(data, RecordIdentity.CastielIdFields), data.DeepClone().AsObject(), RecordIdentity.Text(data["updatedAt"])));
        }
        return records;
    }
}
