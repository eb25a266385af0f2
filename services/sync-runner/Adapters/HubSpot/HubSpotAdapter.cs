using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Adapters;
using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters.HubSpot;

/// <summary>
/// HubSpot CRM v3 objects: search on <c>hs_lastmodifieddate</c> ascending with <c>after</c> paging. Search stops at
/// 10,000 results per query, so a long read restarts the query from its cursor before reaching that. Calls go only to
/// HubSpot's API host (<c>api.hubapi.com</c>).
/// </summary>
public sealed class HubSpotAdapter(AdapterHttpFactory http, HubSpotRateGate gate) : ISyncAdapter
{
    public const string ClientName = "adapter-hubspot";
    private const string System = "hubspot";
    private const string DefaultBaseUrl = "https://api.hubapi.com";
    private const string ModifiedProperty = "hs_lastmodifieddate";
    private const int SearchResultCap = 10_000;
    private readonly AdapterHttp _http = http.Create(ClientName, System, VendorErrors);

    public AdapterDescriptor Descriptor => AdapterCatalog.HubSpot;

    public async IAsyncEnumerable<RecordPage> ReadAsync(AdapterReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var api = Api.For(_http, request.Connection, request.EntityType);
        var limit = AdapterSettings.PageSize(request.Integration.Settings, 100, 1, 200, _http.MaxPageSize);
        var cursor = HubSpotCursor.Decode(request.Cursor);
        var queryStart = cursor;
        string? after = null;
        while (true)
        {
            var search = new JsonObject
            {
                ["filterGroups"] = queryStart is null ? new JsonArray() : new JsonArray(new JsonObject
                {
                    ["filters"] = new JsonArray(new JsonObject
                    {
                        ["propertyName"] = ModifiedProperty,
                        ["operator"] = "GTE",
                        ["value"] = queryStart.ModifiedMs.ToString(CultureInfo.InvariantCulture),
                    }),
                }),
                ["sorts"] = new JsonArray(new JsonObject { ["propertyName"] = ModifiedProperty, ["direction"] = "ASCENDING" }),
                ["properties"] = new JsonArray(api.Properties.Select(p => (JsonNode?)p).ToArray()),
                ["limit"] = limit,
            };
            if (after is not null)
            {
                search["after"] = after;
            }
            var body = await SendAsync(api, HttpMethod.Post, $"{api.Base}/search", search, cancellationToken, meter: request.Meter) as JsonObject
                ?? throw new AdapterException(AdapterErrorKind.Permanent, "hubspot: the search response is not a JSON object");

            var records = new List<SourceRecord>();
            foreach (var item in body["results"] as JsonArray ?? [])
            {
                if (item is not JsonObject result || RecordIdentity.Text(result["id"]) is not { } id)
                {
                    continue;
                }
                var record = ToRecord(result);
                var modified = ModifiedMs(result);
                if (modified is { } ms)
                {
                    if (queryStart?.AlreadyRead(ms, id) == true)
                    {
                        continue;
                    }
                    cursor = HubSpotCursor.Advance(cursor, ms, id);
                }
                records.Add(record);
            }

            after = RecordIdentity.Text(body["paging"]?["next"]?["after"]);
            if (after is not null && int.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) && offset + limit > SearchResultCap)
            {
                queryStart = cursor;
                after = null;
                if (records.Count == 0)
                {
                    throw new AdapterException(AdapterErrorKind.Permanent,
                        $"hubspot: more than {SearchResultCap} records share one {ModifiedProperty}; the search API cannot page past them");
                }
                yield return new RecordPage(records, cursor?.Encode(), cursor?.Encode());
                continue;
            }
            yield return new RecordPage(records, after is null ? null : cursor?.Encode(), cursor?.Encode());
            if (after is null)
            {
                yield break;
            }
        }
    }

    public async Task<SourceRecord?> ReadOneAsync(AdapterRecordRequest request, CancellationToken cancellationToken)
    {
        var api = Api.For(_http, request.Connection, request.EntityType);
        var body = await GetAsync(api, request.ExternalId, cancellationToken);
        return body is null ? null : ToRecord(body);
    }

    /// <summary>
    /// HubSpot has no conditional update: an expected version is checked by reading <c>updatedAt</c> just before the
    /// PATCH, which narrows but does not close the race.
    /// </summary>
    public async Task<WriteResult> WriteAsync(AdapterWriteRequest request, CancellationToken cancellationToken)
    {
        var api = Api.For(_http, request.Connection, request.EntityType);
        var properties = request.Fields["properties"] is JsonObject nested ? nested.DeepClone() : request.Fields.DeepClone();
        foreach (var readOnly in new[] { "id", "createdAt", "updatedAt", "archived", "hs_object_id", ModifiedProperty })
        {
            properties.AsObject().Remove(readOnly);
        }
        var payload = new JsonObject { ["properties"] = properties };
        if (request.ExternalId is null)
        {
            var created = await SendAsync(api, HttpMethod.Post, api.Base, payload, cancellationToken, idempotent: false);
            return new WriteResult(RecordIdentity.Text(created?["id"]) ?? throw new AdapterException(AdapterErrorKind.Permanent, "hubspot: the create response has no id"),
                RecordIdentity.Text(created?["updatedAt"]), Created: true);
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
        var updated = await SendAsync(api, HttpMethod.Patch, $"{api.Base}/{Uri.EscapeDataString(request.ExternalId)}", payload, cancellationToken);
        return new WriteResult(request.ExternalId, RecordIdentity.Text(updated?["updatedAt"]), Created: false);
    }

    private async Task<JsonObject?> GetAsync(Api api, string id, CancellationToken cancellationToken)
    {
        var query = api.Properties.Count == 0 ? "" : "?properties=" + Uri.EscapeDataString(string.Join(',', api.Properties));
        using var message = api.Request(HttpMethod.Get, $"{api.Base}/{Uri.EscapeDataString(id)}{query}");
        using var response = await SendRawAsync(api, message, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await _http.EnsureSuccessAsync(response, cancellationToken);
        return await _http.ReadJsonAsync(response, cancellationToken) as JsonObject;
    }

    private async Task<JsonNode?> SendAsync(
        Api api, HttpMethod method, string url, JsonObject body, CancellationToken cancellationToken, bool idempotent = true, ReadMeter? meter = null)
    {
        using var message = api.Request(method, url);
        meter?.Attach(message, "search");
        message.Content = JsonContent.Create(body);
        if (!idempotent)
        {
            message.Options.Set(AdapterHttp.NotIdempotent, true);
        }
        using var response = await SendRawAsync(api, message, cancellationToken);
        await _http.EnsureSuccessAsync(response, cancellationToken);
        return await _http.ReadJsonAsync(response, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendRawAsync(Api api, HttpRequestMessage message, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(api.Account, cancellationToken);
        var response = await _http.SendAsync(message, cancellationToken);
        gate.Observe(api.Account, response);
        return response;
    }

    /// <summary>The daily limit is quota exhausted; a missing scope names the scopes to grant.</summary>
    private static AdapterException? VendorErrors(HttpResponseMessage response, string body, AdapterException generic)
    {
        if (HubSpotDailyLimit.IsSpent(response.StatusCode, body))
        {
            return new AdapterException(AdapterErrorKind.QuotaExhausted, "hubspot: the account's daily API limit is spent; the sync resumes after midnight in the account's time zone");
        }
        var scopes = VendorError.Parse(body)?["errors"]?[0]?["context"]?["requiredGranularScopes"] as JsonArray;
        if (response.StatusCode == HttpStatusCode.Forbidden && scopes is { Count: > 0 })
        {
            var names = scopes.Select(RecordIdentity.Text).Select(VendorError.Sanitize).OfType<string>().Take(10);
            return new AdapterException(generic.Kind, $"{generic.Message}; required scopes: {string.Join(", ", names)}");
        }
        return null;
    }

    /// <summary><c>properties</c> flattened next to <c>id</c>, <c>createdAt</c>, <c>updatedAt</c>, <c>archived</c>.</summary>
    private static SourceRecord ToRecord(JsonObject result)
    {
        var data = new JsonObject();
        foreach (var (key, value) in result["properties"] as JsonObject ?? [])
        {
            data[key] = value?.DeepClone();
        }
        foreach (var key in new[] { "id", "createdAt", "updatedAt", "archived" })
        {
            if (result[key] is { } value)
            {
                data[key] = value.DeepClone();
            }
        }
        return new SourceRecord(RecordIdentity.Text(result["id"])!, data, RecordIdentity.Text(result["updatedAt"]));
    }

    private static long? ModifiedMs(JsonObject result) =>
        DateTimeOffset.TryParse(RecordIdentity.Text(result["updatedAt"]) ?? RecordIdentity.Text(result["properties"]?[ModifiedProperty]),
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var modified)
            ? modified.ToUnixTimeMilliseconds()
            : null;

    private static bool SameInstant(string? a, string b) =>
        DateTimeOffset.TryParse(a, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var x)
        && DateTimeOffset.TryParse(b, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var y)
            ? x == y
            : a == b;

    private sealed record Api(string Base, string ObjectType, IReadOnlyList<string> Properties, string AccessToken, string Account)
    {
        public static Api For(AdapterHttp http, AdapterConnection connection, string entityType)
        {
            var settings = connection.Integration.Settings;
            var root = http.Pinned(AdapterSettings.Text(settings, "baseUrl") ?? DefaultBaseUrl, "baseUrl", "api.hubapi.com").AbsoluteUri.TrimEnd('/');
            var objectType = AdapterSettings.Identifier(ObjectTypeOf(settings, entityType), System, "object type");
            var properties = AdapterSettings.List(settings["properties"] is JsonObject perObject ? perObject[objectType] ?? perObject[entityType] : settings["properties"]);
            IReadOnlyList<string> withModified = properties.Count == 0 ? [] : [.. properties.Append(ModifiedProperty).Distinct(StringComparer.Ordinal)];
            return new Api($"{root}/crm/v3/objects/{objectType}", objectType, withModified,
                AdapterSettings.RequireAccessToken(connection, System), connection.Integration.Id);
        }

        public HttpRequestMessage Request(HttpMethod method, string url)
        {
            var message = new HttpRequestMessage(method, url);
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
            return message;
        }

        private static string ObjectTypeOf(JsonObject settings, string entityType) =>
            settings["objects"] is JsonObject map && RecordIdentity.Text(map[entityType]) is { } mapped
                ? mapped
                : entityType.ToLowerInvariant() switch
                {
                    "opportunity" or "deal" => "deals",
                    "contact" => "contacts",
                    "company" or "account" => "companies",
                    "ticket" => "tickets",
                    "product" => "products",
                    "line_item" => "line_items",
                    "quote" => "quotes",
                    var other => other,
                };
    }
}
