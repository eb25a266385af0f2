using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Adapters;
using IntegrationSync.SyncRunner.Adapters.Http;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Adapters.HubSpot;

/// <summary>
/// HubSpot CRM v3 objects: search in pages of 200 (<see cref="HubSpotSearch"/>: exact positions, past the 10,000-result cap
/// and through ties of any size); an incremental read lists the archived (deleted) records since its cursor. The daily
/// limit headers feed the quota guard. Calls go only to HubSpot's API host (<c>api.hubapi.com</c>). Writes:
/// <c>HubSpotWrites.cs</c>.
/// </summary>
public sealed partial class HubSpotAdapter(AdapterHttpFactory http, HubSpotRateGate gate, IOptions<AdapterHttpOptions> options, TimeProvider time) : ISyncAdapter
{
    public const string ClientName = "adapter-hubspot";
    private const string System = "hubspot";
    private const string DefaultBaseUrl = "https://api.hubapi.com";
    private const string ModifiedProperty = HubSpotSearch.Modified;
    private const int LargestSearchPage = 200;
    private const int LargestListPage = 100;

    // HubSpot keeps archived records in its recycle bin for 90 days.
    private static readonly TimeSpan ArchiveKept = TimeSpan.FromDays(90);
    private readonly AdapterHttp _http = http.Create(ClientName, System, VendorErrors, HubSpotDailyLimit.Usage);

    public AdapterDescriptor Descriptor => AdapterCatalog.HubSpot;

    public async IAsyncEnumerable<RecordPage> ReadAsync(AdapterReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var api = Api.For(_http, request.Connection, request.EntityType);
        var pageSize = AdapterSettings.PageSize(request.Integration.Settings, LargestSearchPage, 1, LargestSearchPage, _http.MaxPageSize);
        var budget = new ReadBudget(request.MaxRecords);
        var cursor = HubSpotCursor.Decode(request.Cursor);
        var upTo = (time.GetUtcNow() - TimeSpan.FromSeconds(options.Value.HubSpotSearchLagSeconds)).ToUnixTimeMilliseconds();
        var (deleted, missed) = cursor is null ? ([], null) : await ArchivedSinceAsync(api, cursor.ModifiedMs, request.Meter, cancellationToken);
        while (true)
        {
            var limit = budget.PageSize(pageSize);
            var body = await SendAsync(api, HttpMethod.Post, $"{api.Base}/search", HubSpotSearch.Body(cursor, upTo, api.Properties, limit), cancellationToken,
                meter: request.Meter) as JsonObject ?? throw new AdapterException(AdapterErrorKind.Permanent, "hubspot: the search response is not a JSON object");
            var results = (body["results"] as JsonArray ?? []).OfType<JsonObject>().Where(r => RecordIdentity.Text(r["id"]) is not null).ToList();
            // The query's total says whether results are left beyond this page (a full page may be the last).
            var more = body["total"]?.GetValueKind() == JsonValueKind.Number ? body["total"]!.GetValue<int>() > results.Count : results.Count >= limit;
            var (taken, next, done) = HubSpotSearch.Advance(cursor, results, more);
            if (!done && taken.Count == 0 && next?.Encode() == cursor?.Encode())
            {
                throw new AdapterException(AdapterErrorKind.Permanent, $"hubspot: the search results carry no {ModifiedProperty}, so the read cannot move on");
            }
            cursor = next;
            var records = taken.Select(ToRecord).ToList();
            budget.Take(records.Count);
            yield return new RecordPage(records, done ? null : cursor?.Encode(), cursor?.Encode()) { Deleted = deleted, DeletesMissed = missed };
            if (done || budget.Spent)
            {
                yield break;
            }
            (deleted, missed) = ([], null);
        }
    }

    public async Task<SourceRecord?> ReadOneAsync(AdapterRecordRequest request, CancellationToken cancellationToken)
    {
        var api = Api.For(_http, request.Connection, request.EntityType);
        var body = await GetAsync(api, request.ExternalId, cancellationToken);
        return body is null ? null : ToRecord(body);
    }

    /// <summary>
    /// The records archived (deleted) since <paramref name="sinceMs"/>: the archived listing cannot be filtered, so it is read
    /// whole, 100 a call; and why some may be missing (HubSpot keeps them 90 days).
    /// </summary>
    private async Task<(List<DeletedRecord>, string?)> ArchivedSinceAsync(Api api, long sinceMs, ReadMeter meter, CancellationToken cancellationToken)
    {
        var since = DateTimeOffset.FromUnixTimeMilliseconds(sinceMs);
        var missed = time.GetUtcNow() - since > ArchiveKept
            ? $"the cursor ({since:O}) is older than the 90 days HubSpot keeps archived records"
            : null;
        var deleted = new List<DeletedRecord>();
        string? after = null;
        do
        {
            var url = $"{api.Base}?archived=true&limit={LargestListPage}&properties={ModifiedProperty}{(after is null ? "" : $"&after={Uri.EscapeDataString(after)}")}";
            using var message = meter.Attach(api.Request(HttpMethod.Get, url), "archived");
            using var response = await SendRawAsync(api, message, cancellationToken);
            await _http.EnsureSuccessAsync(response, cancellationToken);
            var body = await _http.ReadJsonAsync(response, cancellationToken);
            foreach (var result in (body?["results"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (RecordIdentity.Text(result["id"]) is { } id && RecordIdentity.Text(result["archivedAt"]) is { } archivedAt
                    && DateTimeOffset.TryParse(archivedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at >= since)
                {
                    deleted.Add(new DeletedRecord(id, archivedAt));
                }
            }
            after = RecordIdentity.Text(body?["paging"]?["next"]?["after"]);
        }
        while (after is not null);
        return (deleted, missed);
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
