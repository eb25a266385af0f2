using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Adapters;
using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters.Salesforce;

/// <summary>
/// Salesforce REST API: SOQL ordered by <c>SystemModstamp, Id</c>, following <c>nextRecordsUrl</c> within a run;
/// the cursor is the last record's (SystemModstamp, Id), so a resumed query starts right after it even on a tie.
/// The instance must be an https Salesforce host; <c>nextRecordsUrl</c> is followed only on it. Writes: <c>SalesforceWrites.cs</c>.
/// </summary>
public sealed partial class SalesforceAdapter(AdapterHttpFactory http) : ISyncAdapter
{
    public const string ClientName = "adapter-salesforce";
    private const string System = "salesforce";
    private const int DefaultBatch = 2000;
    private readonly AdapterHttp _http = http.Create(ClientName, System, VendorErrors);

    public AdapterDescriptor Descriptor => AdapterCatalog.Salesforce;

    public async IAsyncEnumerable<RecordPage> ReadAsync(AdapterReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var api = Api.For(_http, request.Connection, request.EntityType);
        var after = SalesforceCursor.Decode(request.Cursor);
        var where = after is null ? "" : $" WHERE {after.Where()}";
        var soql = $"SELECT {string.Join(", ", api.Fields)} FROM {api.SObject}{where} ORDER BY SystemModstamp ASC, Id ASC";
        var url = $"{api.Base}/query?q={Uri.EscapeDataString(soql)}";
        var pageSize = AdapterSettings.PageSize(request.Integration.Settings, DefaultBatch, 200, DefaultBatch, _http.MaxPageSize);
        while (true)
        {
            using var message = api.Request(HttpMethod.Get, url);
            if (pageSize < DefaultBatch)
            {
                message.Headers.Add("Sforce-Query-Options", $"batchSize={pageSize}");
            }
            var body = await _http.SendForJsonAsync(message, cancellationToken) as JsonObject
                ?? throw new AdapterException(AdapterErrorKind.Permanent, "salesforce: the query response is not a JSON object");
            var records = new List<SourceRecord>();
            foreach (var item in body["records"] as JsonArray ?? [])
            {
                if (item is JsonObject record)
                {
                    records.Add(ToRecord(record));
                    after = CursorOf(record) ?? after;
                }
            }
            var next = body["done"]?.GetValue<bool>() == false ? RecordIdentity.Text(body["nextRecordsUrl"]) : null;
            yield return new RecordPage(records, next is null ? null : after?.Encode(), after?.Encode());
            if (next is null)
            {
                yield break;
            }
            url = _http.SameOrigin(api.Instance, next).AbsoluteUri;
        }
    }

    public async Task<SourceRecord?> ReadOneAsync(AdapterRecordRequest request, CancellationToken cancellationToken)
    {
        var api = Api.For(_http, request.Connection, request.EntityType);
        using var message = api.Request(HttpMethod.Get, $"{api.Base}/sobjects/{api.SObject}/{RecordId(request.ExternalId)}");
        using var response = await _http.SendAsync(message, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await _http.EnsureSuccessAsync(response, cancellationToken);
        return await _http.ReadJsonAsync(response, cancellationToken) is JsonObject record ? ToRecord(record) : null;
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

    private static SourceRecord ToRecord(JsonObject record)
    {
        var data = record.DeepClone().AsObject();
        data.Remove("attributes");
        var id = RecordIdentity.Text(data["Id"]) ?? RecordIdentity.ContentHash(data);
        return new SourceRecord(id, data, RecordIdentity.Text(data["SystemModstamp"]));
    }

    private static SalesforceCursor? CursorOf(JsonObject record) =>
        SalesforceCursor.TryParseModstamp(RecordIdentity.Text(record["SystemModstamp"]), out var modstamp) && RecordIdentity.Text(record["Id"]) is { } id
            ? new SalesforceCursor(modstamp, id)
            : null;

    private static string RecordId(string id) =>
        SalesforceCursor.IsRecordId(id) ? id : throw new AdapterException(AdapterErrorKind.Permanent, $"salesforce: '{id}' is not a Salesforce record id");

    private sealed record Api(Uri Instance, string Base, string SObject, IReadOnlyList<string> Fields, string AccessToken)
    {
        public static Api For(AdapterHttp http, AdapterConnection connection, string entityType)
        {
            var settings = connection.Integration.Settings;
            var instance = http.Pinned(AdapterSettings.RequireUrl(connection, System, "instanceUrl", "instance_url"), "instanceUrl", "*.salesforce.com", "*.force.com");
            var version = AdapterSettings.Text(settings, "apiVersion") ?? "v60.0";
            if (!version.StartsWith('v'))
            {
                version = "v" + version;
            }
            var sObject = AdapterSettings.Identifier(SObjectName(settings, entityType), System, "sObject");
            var fields = AdapterSettings.List(settings["fields"] is JsonObject perObject ? perObject[sObject] ?? perObject[entityType] : settings["fields"])
                .Select(f => AdapterSettings.Identifier(f, System, "field")).ToList();
            // FIELDS(STANDARD) is allowed without a LIMIT and always includes Id and SystemModstamp.
            IReadOnlyList<string> select = fields.Count == 0
                ? ["FIELDS(STANDARD)"]
                : ["Id", "SystemModstamp", .. fields.Where(f => f is not ("Id" or "SystemModstamp"))];
            return new Api(instance, $"{instance.AbsoluteUri.TrimEnd('/')}/services/data/{version}", sObject, select, AdapterSettings.RequireAccessToken(connection, System));
        }

        public HttpRequestMessage Request(HttpMethod method, string url)
        {
            var message = new HttpRequestMessage(method, url);
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            return message;
        }

        private static string SObjectName(JsonObject settings, string entityType)
        {
            if (settings["objects"] is JsonObject map && RecordIdentity.Text(map[entityType]) is { } mapped)
            {
                return mapped;
            }
            return entityType.Contains("__", StringComparison.Ordinal) || entityType.Length == 0
                ? entityType
                : char.ToUpper(entityType[0], CultureInfo.InvariantCulture) + entityType[1..];
        }
    }
}
