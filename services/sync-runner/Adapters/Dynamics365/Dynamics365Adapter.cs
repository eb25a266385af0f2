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
/// Dynamics 365 Web API (OData v4): ordered by <c>modifiedon</c> then the primary key, <c>@odata.nextLink</c> paging
/// sized by <c>Prefer: odata.maxpagesize</c>, writes guarded by <c>If-Match</c> on the record's ETag. The environment must
/// be an https Dynamics host; next links are followed only on it.
/// </summary>
public sealed class Dynamics365Adapter(AdapterHttpFactory http) : ISyncAdapter
{
    public const string ClientName = "adapter-dynamics365";
    private const string System = "dynamics365";

    // Commercial and regional clouds (crm.dynamics.com, crm4.dynamics.com, …), US government and China.
    private static readonly string[] Hosts = ["*.dynamics.com", "*.microsoftdynamics.us", "*.appsplatform.us", "*.dynamics.cn"];
    private readonly AdapterHttp _http = http.Create(ClientName, System);

    public AdapterDescriptor Descriptor => AdapterCatalog.Dynamics365;

    public async IAsyncEnumerable<RecordPage> ReadAsync(AdapterReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var api = Api.For(_http, request.Connection, request.EntityType);
        var pageSize = AdapterSettings.PageSize(request.Integration.Settings, 500, 1, 5000, _http.MaxPageSize);
        var after = DynamicsCursor.Decode(request.Cursor);
        var query = new List<string> { $"$orderby=modifiedon asc,{api.Key} asc" };
        if (after is not null)
        {
            query.Insert(0, "$filter=" + Uri.EscapeDataString(after.Filter(api.Key)));
        }
        if (api.Select.Count > 0)
        {
            query.Add("$select=" + string.Join(',', api.Select));
        }
        var url = $"{api.Base}/{api.EntitySet}?{string.Join('&', query)}";
        while (true)
        {
            using var message = request.Meter.Attach(api.Request(HttpMethod.Get, url), "query");
            message.Headers.Add("Prefer", $"odata.maxpagesize={pageSize.ToString(CultureInfo.InvariantCulture)}");
            var body = await _http.SendForJsonAsync(message, cancellationToken) as JsonObject
                ?? throw new AdapterException(AdapterErrorKind.Permanent, "dynamics365: the response is not a JSON object");
            var records = new List<SourceRecord>();
            foreach (var item in body["value"] as JsonArray ?? [])
            {
                if (item is JsonObject row)
                {
                    records.Add(api.ToRecord(row));
                    after = api.CursorOf(row) ?? after;
                }
            }
            var next = RecordIdentity.Text(body["@odata.nextLink"]);
            yield return new RecordPage(records, next is null ? null : after?.Encode(), after?.Encode());
            if (next is null)
            {
                yield break;
            }
            url = _http.SameOrigin(api.Environment, next).AbsoluteUri;
        }
    }

    public async Task<SourceRecord?> ReadOneAsync(AdapterRecordRequest request, CancellationToken cancellationToken)
    {
        var api = Api.For(_http, request.Connection, request.EntityType);
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
        var api = Api.For(_http, request.Connection, request.EntityType);
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

    private sealed record Api(Uri Environment, string Base, string EntitySet, string Key, IReadOnlyList<string> Select, string AccessToken)
    {
        public static Api For(AdapterHttp http, AdapterConnection connection, string entityType)
        {
            var settings = connection.Integration.Settings;
            var environment = http.Pinned(AdapterSettings.RequireUrl(connection, System, "environmentUrl", "instanceUrl", "resource"), "environmentUrl", Hosts);
            var version = AdapterSettings.Text(settings, "apiVersion") ?? "v9.2";
            if (!version.StartsWith('v'))
            {
                version = "v" + version;
            }
            var logical = AdapterSettings.Identifier(entityType.ToLowerInvariant(), System, "entity");
            var entitySet = settings["entitySets"] is JsonObject sets && RecordIdentity.Text(sets[entityType]) is { } mapped ? mapped : Plural(logical);
            var key = settings["keys"] is JsonObject keys && RecordIdentity.Text(keys[entityType]) is { } mappedKey ? mappedKey : logical + "id";
            var select = AdapterSettings.List(settings["select"] is JsonObject perEntity ? perEntity[entityType] : settings["select"])
                .Select(f => AdapterSettings.Identifier(f, System, "column")).ToList();
            if (select.Count > 0)
            {
                select = [.. select.Append(key).Append("modifiedon").Distinct(StringComparer.Ordinal)];
            }
            return new Api(environment, $"{environment.AbsoluteUri.TrimEnd('/')}/api/data/{version}", AdapterSettings.Identifier(entitySet, System, "entity set"),
                AdapterSettings.Identifier(key, System, "key"), select, AdapterSettings.RequireAccessToken(connection, System));
        }

        public string RecordUrl(string id) => Guid.TryParse(id, out var guid)
            ? $"{Base}/{EntitySet}({guid:D})"
            : throw new AdapterException(AdapterErrorKind.Permanent, $"dynamics365: '{id}' is not a record id (GUID)");

        public HttpRequestMessage Request(HttpMethod method, string url)
        {
            var message = new HttpRequestMessage(method, url);
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            message.Headers.Add("OData-MaxVersion", "4.0");
            message.Headers.Add("OData-Version", "4.0");
            return message;
        }

        public SourceRecord ToRecord(JsonObject row)
        {
            var data = row.DeepClone().AsObject();
            var etag = RecordIdentity.Text(data["@odata.etag"]);
            data.Remove("@odata.etag");
            data.Remove("@odata.context");
            return new SourceRecord(RecordIdentity.Text(data[Key]) ?? RecordIdentity.ContentHash(data), data, etag);
        }

        public DynamicsCursor? CursorOf(JsonObject row) =>
            DateTimeOffset.TryParse(RecordIdentity.Text(row["modifiedon"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var modified)
            && Guid.TryParse(RecordIdentity.Text(row[Key]), out var id)
                ? new DynamicsCursor(modified, id)
                : null;

        /// <summary>Entity set names are the logical name's plural (opportunity → opportunities, account → accounts).</summary>
        private static string Plural(string logical) =>
            logical.EndsWith('y') && !logical.EndsWith("ey", StringComparison.Ordinal) ? logical[..^1] + "ies"
            : logical.EndsWith('s') || logical.EndsWith('x') ? logical + "es"
            : logical + "s";
    }
}
