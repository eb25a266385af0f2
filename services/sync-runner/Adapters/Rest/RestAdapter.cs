using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Adapters;
using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters.Rest;

/// <summary>
/// A JSON API described by settings: records at a path, cursor or next-link paging, a credential in a configured
/// header, deletions as records marked by a configured tombstone field. Records without the id field get a content hash
/// as their id. Next links are followed only on the host of <c>url</c>; any host is reached only through the outbound
/// guard. Writes: <c>RestWrites.cs</c>.
/// </summary>
public sealed partial class RestAdapter(AdapterHttpFactory http) : ISyncAdapter
{
    public const string ClientName = "adapter-rest";
    private readonly AdapterHttp _http = http.Create(ClientName, "rest");

    public AdapterDescriptor Descriptor => AdapterCatalog.Rest;

    public async IAsyncEnumerable<RecordPage> ReadAsync(AdapterReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var settings = RestSettings.From(request.Connection);
        var cursor = request.Cursor;
        var url = settings.Paging == RestPaging.NextLink && cursor is not null ? _http.SameOrigin(settings.Url, cursor) : FirstPage(settings, request.Filters, cursor);
        while (true)
        {
            using var message = request.Meter.Attach(Request(request.Connection, settings, HttpMethod.Get, url), "query");
            var body = await _http.SendForJsonAsync(message, cancellationToken);
            var all = Records(body, settings);
            var deleted = all.Where(r => IsTombstone(DotPath.Select(r.Data, settings.DeletedField), settings)).ToList();
            var records = all.Except(deleted).ToList();
            var next = settings.Paging switch
            {
                RestPaging.Cursor => RecordIdentity.Text(DotPath.Select(body, settings.CursorPath)),
                RestPaging.NextLink when RecordIdentity.Text(DotPath.Select(body, settings.NextLinkPath)) is { } link =>
                    _http.SameOrigin(settings.Url, link, relativeTo: url).AbsoluteUri,
                _ => null,
            };
            // A page without records ends the read even if the API still hands out a cursor.
            if (all.Count == 0)
            {
                next = null;
            }
            yield return new RecordPage(records, next, next ?? cursor)
            {
                Deleted = deleted.Select(r => new DeletedRecord(r.ExternalId, DotPath.Select(r.Data, settings.DeletedField) is JsonValue at
                    && at.TryGetValue<string>(out var text) ? text : null, r.Data)).ToList(),
            };
            if (next is null)
            {
                yield break;
            }
            cursor = next;
            url = settings.Paging == RestPaging.NextLink ? new Uri(next) : FirstPage(settings, request.Filters, next);
        }
    }

    public async Task<SourceRecord?> ReadOneAsync(AdapterRecordRequest request, CancellationToken cancellationToken)
    {
        var settings = RestSettings.From(request.Connection);
        using var message = Request(request.Connection, settings, HttpMethod.Get, RecordUrl(settings, request.ExternalId));
        using var response = await _http.SendAsync(message, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await _http.EnsureSuccessAsync(response, cancellationToken);
        return Single(await _http.ReadJsonAsync(response, cancellationToken)) is { } record
            ? ToRecord(record, settings, response.Headers.ETag?.ToString())
            : null;
    }

    private static Uri FirstPage(RestSettings settings, JsonObject? filters, string? cursor)
    {
        var query = new List<string>();
        foreach (var (key, value) in filters ?? [])
        {
            if (RecordIdentity.Text(value) is { } text)
            {
                query.Add($"{Uri.EscapeDataString(key)}={Uri.EscapeDataString(text)}");
            }
        }
        if (cursor is not null)
        {
            query.Add($"{Uri.EscapeDataString(settings.CursorParam)}={Uri.EscapeDataString(cursor)}");
        }
        if (query.Count == 0)
        {
            return settings.Url;
        }
        var builder = new UriBuilder(settings.Url);
        builder.Query = string.Join('&', new[] { builder.Query.TrimStart('?') }.Where(q => q.Length > 0).Concat(query));
        return builder.Uri;
    }

    /// <summary>A record whose <c>deletedField</c> is true, a non-empty text (when it was deleted) or a non-zero number is a tombstone.</summary>
    private static bool IsTombstone(JsonNode? marker, RestSettings settings) => settings.DeletedField is not null && marker switch
    {
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        JsonValue value when value.TryGetValue<string>(out var text) => text.Length > 0 && text is not ("false" or "0"),
        JsonValue value when value.TryGetValue<double>(out var number) => number != 0,
        _ => false,
    };

    private static Uri RecordUrl(RestSettings settings, string id) => new($"{settings.Url.GetLeftPart(UriPartial.Path).TrimEnd('/')}/{Uri.EscapeDataString(id)}");

    private static List<SourceRecord> Records(JsonNode? body, RestSettings settings)
    {
        var items = DotPath.Select(body, settings.RecordsPath) switch
        {
            JsonArray array => array,
            null => [],
            _ => throw new AdapterException(AdapterErrorKind.Permanent,
                $"rest: '{settings.RecordsPath ?? "(the body)"}' in the response is not an array; set recordsPath to where the records are"),
        };
        return items.Select(item => ToRecord(item as JsonObject ?? new JsonObject { ["value"] = item?.DeepClone() }, settings, null)).ToList();
    }

    private static SourceRecord ToRecord(JsonObject record, RestSettings settings, string? etag)
    {
        var data = record.DeepClone().AsObject();
        var version = etag ?? (settings.VersionField is null ? null : RecordIdentity.Text(data[settings.VersionField]));
        return new SourceRecord(RecordIdentity.Of(data, settings.IdField), data, version);
    }

    private static JsonObject? Single(JsonNode? body) => body is JsonObject { } obj && obj["data"] is JsonObject inner ? inner : body as JsonObject;

    private static HttpRequestMessage Request(AdapterConnection connection, RestSettings settings, HttpMethod method, Uri url)
    {
        var message = new HttpRequestMessage(method, url);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var credential = connection.Credentials.Get("token") ?? connection.Credentials.Get("apiKey") ?? connection.Credentials.Get("accessToken");
        if (credential is not null)
        {
            var value = settings.AuthScheme.Length == 0 ? credential : $"{settings.AuthScheme} {credential}";
            message.Headers.TryAddWithoutValidation(settings.AuthHeader, value);
        }
        return message;
    }
}
