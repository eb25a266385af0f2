using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace IntegrationSync.TestSupport.VendorFakes;

/// <summary>
/// HubSpot's CRM search as documented: filter groups ORed (at most 5, 6 filters each, 18 in all), filters ANDed (EQ, NEQ,
/// GT, GTE, LT, LTE, IN, NOT_IN; dates as epoch ms), one sort, at most 200 results a page, <c>after</c> paging that
/// answers 400 past 10,000 results, a body of at most 3,000 characters. Equal sort values come in no particular order:
/// insertion order here, or the reverse (<see cref="TiesInReverse"/>), never one a client may rely on. The archived
/// listing (<c>GET /crm/v3/objects/deals?archived=true</c>) pages 100 at most, in id order.
/// </summary>
public sealed partial class FakeHubSpot
{
    /// <summary>Deals sharing a sort value come newest first, not in id order.</summary>
    public bool TiesInReverse { get; set; }

    /// <summary>Search calls answered 400 (too long, too many filters, past the 10,000 cap).</summary>
    public int SearchesRefused { get; private set; }

    public void Archive(string id, DateTimeOffset at)
    {
        lock (_gate)
        {
            var deal = Deals.Single(d => (string)d["id"]! == id);
            Deals.Remove(deal);
            deal["archived"] = true;
            deal["archivedAt"] = Iso(at);
            Archived.Add(deal);
        }
    }

    private IResult Search(JsonObject body, int length)
    {
        var groups = body["filterGroups"]?.AsArray().Select(g => g!["filters"]!.AsArray().Select(f => f!.AsObject()).ToList()).ToList() ?? [];
        var sorts = body["sorts"]?.AsArray() ?? [];
        var limit = (int?)body["limit"] ?? 10;
        var after = body["after"] is { } a ? int.Parse((string)a!, CultureInfo.InvariantCulture) : 0;
        var refusal = length > 3000 ? "The request body may hold at most 3000 characters."
            : groups.Count > 5 || groups.Any(g => g.Count > 6) || groups.Sum(g => g.Count) > 18 ? "Too many filters: at most 5 groups of 6, 18 in all."
            : sorts.Count > 1 ? "Only one sort is allowed."
            : limit > 200 ? "limit may be at most 200."
            : after + limit > 10_000 ? "Search results are limited to 10,000 per query."
            : null;
        if (refusal is not null)
        {
            SearchesRefused++;
            return Results.Json(new { status = "error", message = refusal, category = "VALIDATION_ERROR" }, statusCode: 400);
        }
        var sortBy = (string?)sorts.FirstOrDefault()?["propertyName"] ?? "hs_object_id";
        var descending = (string?)sorts.FirstOrDefault()?["direction"] == "DESCENDING";
        List<JsonObject> rows;
        lock (_gate)
        {
            var matching = Deals.Select((deal, index) => (deal, index)).Where(d => groups.Count == 0 || groups.Any(g => g.All(f => Matches(d.deal, f)))).ToList();
            var sorted = descending ? matching.OrderByDescending(d => Value(d.deal, sortBy)) : matching.OrderBy(d => Value(d.deal, sortBy));
            rows = (TiesInReverse ? sorted.ThenByDescending(d => d.index) : sorted.ThenBy(d => d.index)).Select(d => d.deal.DeepClone().AsObject()).ToList();
        }
        var response = new JsonObject { ["total"] = rows.Count, ["results"] = new JsonArray(rows.Skip(after).Take(limit).Select(r => (JsonNode?)r).ToArray()) };
        if (after + limit < rows.Count)
        {
            response["paging"] = new JsonObject { ["next"] = new JsonObject { ["after"] = (after + limit).ToString(CultureInfo.InvariantCulture) } };
        }
        return Results.Json(response);
    }

    private IResult ArchivedList(HttpRequest request)
    {
        var limit = int.TryParse(request.Query["limit"], CultureInfo.InvariantCulture, out var l) ? l : 10;
        if (limit > 100)
        {
            return Results.Json(new { status = "error", message = "limit may be at most 100.", category = "VALIDATION_ERROR" }, statusCode: 400);
        }
        var after = int.TryParse(request.Query["after"], CultureInfo.InvariantCulture, out var a) ? a : 0;
        List<JsonObject> rows;
        lock (_gate)
        {
            rows = (request.Query["archived"] == "true" ? Archived : Deals).OrderBy(d => Value(d, "hs_object_id")).Select(d => d.DeepClone().AsObject()).ToList();
        }
        var response = new JsonObject { ["results"] = new JsonArray(rows.Skip(after).Take(limit).Select(r => (JsonNode?)r).ToArray()) };
        if (after + limit < rows.Count)
        {
            response["paging"] = new JsonObject { ["next"] = new JsonObject { ["after"] = (after + limit).ToString(CultureInfo.InvariantCulture) } };
        }
        return Results.Json(response);
    }

    private static bool Matches(JsonObject deal, JsonObject filter)
    {
        var value = Value(deal, (string)filter["propertyName"]!);
        decimal Operand(JsonNode? node) => Number((string)node!);
        return (string)filter["operator"]! switch
        {
            "EQ" => value == Operand(filter["value"]),
            "NEQ" => value != Operand(filter["value"]),
            "GT" => value > Operand(filter["value"]),
            "GTE" => value >= Operand(filter["value"]),
            "LT" => value < Operand(filter["value"]),
            "LTE" => value <= Operand(filter["value"]),
            "IN" => filter["values"]!.AsArray().Any(v => Operand(v) == value),
            "NOT_IN" => filter["values"]!.AsArray().All(v => Operand(v) != value),
            var other => throw new InvalidOperationException($"the fake does not know operator {other}"),
        };
    }

    /// <summary>The deals' numbers the adapter filters and sorts on: the modification instant in epoch ms, and the id.</summary>
    private static decimal Value(JsonObject deal, string property) => property switch
    {
        "hs_lastmodifieddate" => Number((string)deal["properties"]!["hs_lastmodifieddate"]!),
        "hs_object_id" => Number((string)deal["id"]!),
        _ => throw new InvalidOperationException($"the fake does not sort or filter on {property}"),
    };

    /// <summary>Epoch ms or an ISO date, as HubSpot takes dates; or a number.</summary>
    private static decimal Number(string text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number)
            ? number
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
}
