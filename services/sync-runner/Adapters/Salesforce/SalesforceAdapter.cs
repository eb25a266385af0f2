using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Adapters;
using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters.Salesforce;

/// <summary>
/// Salesforce: SOQL ordered by <c>SystemModstamp, Id</c> through the REST API at its largest batch (2,000), following
/// <c>nextRecordsUrl</c>; a read its first page counts above <c>adapter_http.salesforce_bulk_threshold</c> records goes on
/// as a Bulk API 2.0 query job in the same order (<see cref="SalesforceBulkRead"/>) where the job takes fewer calls than
/// the REST batches would. The cursor is the last record's
/// (SystemModstamp, Id), so a resumed query starts right after it even on a tie. An incremental read uses
/// <c>queryAll</c> and reports the records deleted since the cursor (<see cref="SalesforceDeletes"/>). Every response's
/// <c>Sforce-Limit-Info</c> feeds the quota guard. The instance must be an https Salesforce host; <c>nextRecordsUrl</c>
/// is followed only on it. Writes:
/// <c>SalesforceWrites.cs</c>.
/// </summary>
public sealed partial class SalesforceAdapter : ISyncAdapter
{
    public const string ClientName = "adapter-salesforce";
    private const string System = "salesforce";
    private const int DefaultBatch = 2000;
    private const int SmallestBatch = 200;

    // A bulk read resumed from its cursor has seen no row yet: a guess at the large side, until its first page tells.
    private const int UnknownRowBytes = 2048;
    private readonly AdapterHttp _http;
    private readonly SalesforceSchema _schema;
    private readonly TimeProvider _time;
    private readonly SalesforceBulkRead _bulk;

    public SalesforceAdapter(AdapterHttpFactory http, SalesforceSchema schema, TimeProvider time)
    {
        _http = http.Create(ClientName, System, VendorErrors, SalesforceLimits.Read);
        _schema = schema;
        _time = time;
        _bulk = new SalesforceBulkRead(_http, new SalesforceBulkQuery(_http, time));
    }

    public AdapterDescriptor Descriptor => AdapterCatalog.Salesforce;

    public async IAsyncEnumerable<RecordPage> ReadAsync(AdapterReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var api = SalesforceApi.For(_http, request.Connection, request.EntityType);
        var meter = request.Meter;
        var budget = new ReadBudget(request.MaxRecords);
        var cursor = SalesforceCursor.Decode(request.Cursor);
        var incremental = cursor is { Full: false };
        if (cursor?.Job is not null)
        {
            if (await PlanAsync(api, incremental, meter, cancellationToken) is { } plan)
            {
                await foreach (var page in _bulk.ReadAsync(api, plan, cursor, budget, meter, UnknownRowBytes, cancellationToken))
                {
                    yield return page;
                }
                yield break;
            }
            cursor = cursor.Outside();
        }

        var missed = incremental ? await SalesforceDeletes.MissedSinceAsync(_http, api, cursor!, _time.GetUtcNow(), meter, cancellationToken) : null;
        IReadOnlyList<string> columns = incremental && !api.SelectsIsDeleted ? [.. api.Fields, "IsDeleted"] : api.Fields;
        var url = $"{api.Base}/{(incremental ? "queryAll" : "query")}?q={Uri.EscapeDataString(api.Soql(columns, cursor))}";
        var pageSize = AdapterSettings.PageSize(request.Integration.Settings, DefaultBatch, SmallestBatch, DefaultBatch, _http.MaxPageSize);
        var full = cursor is null || cursor.Full;
        var position = cursor;
        var first = true;
        while (true)
        {
            using var message = meter.Attach(api.Request(HttpMethod.Get, url), "query");
            var batch = budget.PageSize(pageSize, SmallestBatch);
            if (batch < DefaultBatch)
            {
                message.Headers.Add("Sforce-Query-Options", $"batchSize={batch.ToString(CultureInfo.InvariantCulture)}");
            }
            var body = await _http.SendForJsonAsync(message, cancellationToken) as JsonObject
                ?? throw new AdapterException(AdapterErrorKind.Permanent, "salesforce: the query response is not a JSON object");
            var rows = (body["records"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            position = (rows.Count > 0 ? SalesforceCursor.Of(rows[^1], full) : null) ?? position;
            var expected = Math.Min(body["totalSize"]?.GetValue<int>() ?? 0, budget.Remaining);
            var (records, deleted) = SalesforceRecords.Split(api, rows);
            budget.Take(records.Count);
            var more = body["done"]?.GetValue<bool>() == false ? RecordIdentity.Text(body["nextRecordsUrl"]) : null;
            var bulk = first && more is not null && position is not null && rows.Count > 0 && expected > _http.Options.SalesforceBulkThreshold
                && _bulk.TakesFewerCalls(expected - rows.Count, batch, rows.Average(r => r.ToJsonString().Length), _schema.Knows(api))
                ? await PlanAsync(api, incremental, meter, cancellationToken)
                : null;
            yield return new RecordPage(records, more is null ? null : position?.Encode(), position?.Watermark())
            {
                Deleted = deleted, DeletesMissed = first ? missed : null,
            };
            if (more is null || budget.Spent)
            {
                yield break;
            }
            if (bulk is not null)
            {
                var rowBytes = (int)rows.Average(bulk.RowBytes);
                await foreach (var page in _bulk.ReadAsync(api, bulk, position!, budget, meter, rowBytes, cancellationToken))
                {
                    yield return page;
                }
                yield break;
            }
            first = false;
            url = _http.SameOrigin(api.Instance, more).AbsoluteUri;
        }
    }

    /// <summary>How a bulk job reads what this read selects; null when a selected field is one Bulk cannot return (the read stays on REST).</summary>
    private async Task<BulkPlan?> PlanAsync(SalesforceApi api, bool incremental, ReadMeter meter, CancellationToken cancellationToken) =>
        BulkPlan.For(await _schema.FieldsAsync(_http, api, meter, cancellationToken), api.Fields, withIsDeleted: incremental);

    public async Task<SourceRecord?> ReadOneAsync(AdapterRecordRequest request, CancellationToken cancellationToken)
    {
        var api = SalesforceApi.For(_http, request.Connection, request.EntityType);
        using var message = api.Request(HttpMethod.Get, $"{api.Base}/sobjects/{api.SObject}/{RecordId(request.ExternalId)}");
        using var response = await _http.SendAsync(message, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await _http.EnsureSuccessAsync(response, cancellationToken);
        return await _http.ReadJsonAsync(response, cancellationToken) is JsonObject record ? SalesforceRecords.ToRecord(record) : null;
    }

    /// <summary>Salesforce errors are <c>[{message, errorCode}]</c>; these codes mean more than their status.</summary>
    private static AdapterException? VendorErrors(HttpResponseMessage response, string body, AdapterException generic) => VendorError.Code(body) switch
    {
        "REQUEST_LIMIT_EXCEEDED" => new AdapterException(AdapterErrorKind.QuotaExhausted,
            "salesforce: the org's API request limit is exhausted (REQUEST_LIMIT_EXCEEDED); the sync resumes when the 24-hour allocation frees up"),
        "INVALID_SESSION_ID" => new AdapterException(AdapterErrorKind.AuthExpired, "salesforce: the session expired or is invalid (INVALID_SESSION_ID); refresh the access token"),
        "PRECONDITION_FAILED" or "ENTITY_IS_LOCKED" when response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict =>
            new AdapterException(AdapterErrorKind.Conflict, $"salesforce: the record changed since the expected version ({VendorError.Code(body)})"),
        _ => null,
    };

    private static string RecordId(string id) =>
        SalesforceCursor.IsRecordId(id) ? id : throw new AdapterException(AdapterErrorKind.Permanent, $"salesforce: '{id}' is not a Salesforce record id");
}
