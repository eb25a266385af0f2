using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters.Dynamics365;

/// <summary>
/// The two ways a Dynamics read pages: change tracking (<c>Prefer: odata.track-changes</c>; the last page's
/// <c>@odata.deltaLink</c> is the watermark, and following it returns only what changed since, removed records as
/// <c>$deletedEntity</c> entries), and, for a table without change tracking or a cursor from before it, the
/// <c>modifiedon</c> order. Pages are as large as Dataverse serves (5,000) and fit <c>adapter_http.max_response_bytes</c>.
/// </summary>
internal sealed class DynamicsReads(AdapterHttp http)
{
    // Dataverse's ExpiredVersionStamp: "Version stamp associated with the client has expired. Please perform a full sync."
    private const string ExpiredVersionStamp = "0x80044352";

    public async IAsyncEnumerable<RecordPage> TrackedAsync(
        DynamicsApi api, string? link, PageSizer sizer, ReadBudget budget, ReadMeter meter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var url = link is null ? api.TrackedUrl() : http.SameOrigin(api.Environment, link).AbsoluteUri;
        string? missed = null;
        var first = true;
        while (true)
        {
            var page = await sizer.FitAsync(budget, size => GetAsync(api, url, size, tracked: true, meter, cancellationToken));
            if (page.Expired && first && link is not null)
            {
                missed = "the change-tracking token expired (Dataverse keeps changes ExpireChangeTrackingInDays, 7 by default); the read starts again from the beginning";
                (url, link) = (api.TrackedUrl(), null);
                continue;
            }
            if (page.Body is not { } body || (first && link is null && !page.Tracked))
            {
                // Change tracking is not enabled on this table: the modifiedon order instead, from the beginning.
                await foreach (var ordered in OrderedAsync(api, after: null, sizer, budget, meter, cancellationToken))
                {
                    yield return ordered;
                }
                yield break;
            }
            sizer.Observe(page.Bytes, page.Rows.Count);
            var records = new List<SourceRecord>();
            var deleted = new List<DeletedRecord>();
            foreach (var row in page.Rows.OfType<JsonObject>())
            {
                if (DynamicsApi.Removed(row) is { } removed)
                {
                    deleted.Add(removed);
                }
                else if (row["@odata.context"] is null)
                {
                    records.Add(api.ToRecord(row));
                }
            }
            var next = Link(api, body["@odata.nextLink"]);
            budget.Take(records.Count);
            yield return new RecordPage(records, next, Link(api, body["@odata.deltaLink"])) { Deleted = deleted, DeletesMissed = first ? missed : null };
            if (next is null || budget.Spent)
            {
                yield break;
            }
            (url, first) = (next, false);
        }
    }

    public async IAsyncEnumerable<RecordPage> OrderedAsync(
        DynamicsApi api, DynamicsCursor? after, PageSizer sizer, ReadBudget budget, ReadMeter meter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
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
            var page = await sizer.FitAsync(budget, size => GetAsync(api, url, size, tracked: false, meter, cancellationToken));
            sizer.Observe(page.Bytes, page.Rows.Count);
            var records = new List<SourceRecord>();
            foreach (var row in page.Rows.OfType<JsonObject>())
            {
                records.Add(api.ToRecord(row));
                after = api.CursorOf(row) ?? after;
            }
            var next = Link(api, page.Body!["@odata.nextLink"]);
            budget.Take(records.Count);
            yield return new RecordPage(records, next is null ? null : after?.Encode(), after?.Encode());
            if (next is null || budget.Spent)
            {
                yield break;
            }
            url = next;
        }
    }

    private async Task<DynamicsPage> GetAsync(DynamicsApi api, string url, int size, bool tracked, ReadMeter meter, CancellationToken cancellationToken)
    {
        using var message = meter.Attach(api.Request(HttpMethod.Get, url), tracked ? "delta" : "query");
        var pageSize = $"odata.maxpagesize={size.ToString(CultureInfo.InvariantCulture)}";
        message.Headers.Add("Prefer", tracked ? $"odata.track-changes,{pageSize}" : pageSize);
        using var response = await http.SendAsync(message, cancellationToken);
        if (tracked && (response.StatusCode == HttpStatusCode.Gone
                || (response.StatusCode == HttpStatusCode.BadRequest && VendorError.Code(await response.Content.ReadAsStringAsync(cancellationToken)) == ExpiredVersionStamp)))
        {
            return new DynamicsPage(null, 0, Tracked: true, Expired: true);
        }
        await http.EnsureSuccessAsync(response, cancellationToken);
        var body = await http.ReadJsonAsync(response, cancellationToken) as JsonObject
            ?? throw new AdapterException(AdapterErrorKind.Permanent, "dynamics365: the response is not a JSON object");
        var applied = response.Headers.TryGetValues("Preference-Applied", out var values)
            && values.Any(v => v.Contains("odata.track-changes", StringComparison.OrdinalIgnoreCase));
        return new DynamicsPage(body, response.Content.Headers.ContentLength ?? 0, applied, Expired: false);
    }

    private string? Link(DynamicsApi api, JsonNode? link) => RecordIdentity.Text(link) is { } text ? http.SameOrigin(api.Environment, text).AbsoluteUri : null;

    private sealed record DynamicsPage(JsonObject? Body, long Bytes, bool Tracked, bool Expired)
    {
        public JsonArray Rows => Body?["value"] as JsonArray ?? [];
    }
}
