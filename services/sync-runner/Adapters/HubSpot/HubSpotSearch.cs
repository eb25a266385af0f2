using System.Globalization;
using System.Text.Json.Nodes;

namespace IntegrationSync.SyncRunner.Adapters.HubSpot;

/// <summary>
/// One search call from a <see cref="HubSpotCursor"/>, and where the read stands after it. Every call starts its query
/// again from the cursor instead of paging with <c>after</c>, so no query nears the 10,000 results search answers at most,
/// and a call costs what a page costs. In <c>hs_lastmodifieddate</c> order the ids already read at the cursor's instant are
/// left out (<c>NOT_IN</c>); a tie larger than <see cref="MostIdsAtModified"/> is read in <c>hs_object_id</c> order instead,
/// after the last id read, so ties of any size (HubSpot's month-end batch updates) are read once each, never looped over.
/// A read covers changes up to a bound before it starts: the search index takes in writes late.
/// </summary>
public static class HubSpotSearch
{
    public const string Modified = "hs_lastmodifieddate";
    private const string ObjectId = "hs_object_id";

    /// <summary>The most ids of one instant a cursor carries: the request stays well within HubSpot's 3,000 characters.</summary>
    public const int MostIdsAtModified = 50;

    public static JsonObject Body(HubSpotCursor? cursor, long upToMs, IReadOnlyList<string> properties, int limit)
    {
        JsonArray groups;
        string sortBy;
        if (cursor?.TieAfter is { } after)
        {
            var filters = new JsonArray(Filter(Modified, "EQ", cursor.ModifiedMs));
            if (after.Length > 0)
            {
                filters.Add(Filter(ObjectId, "GT", after));
            }
            if (cursor.IdsAtModified.Count > 0)
            {
                filters.Add(NotIn(cursor.IdsAtModified));
            }
            (groups, sortBy) = ([Group(filters)], ObjectId);
        }
        else
        {
            groups = cursor switch
            {
                null => [Group([UpTo(upToMs)])],
                { All: true } => [Group([Filter(Modified, "GT", cursor.ModifiedMs), UpTo(upToMs)])],
                { IdsAtModified.Count: 0 } => [Group([Filter(Modified, "GTE", cursor.ModifiedMs), UpTo(upToMs)])],
                _ =>
                [
                    Group([Filter(Modified, "GT", cursor.ModifiedMs), UpTo(upToMs)]),
                    Group([Filter(Modified, "EQ", cursor.ModifiedMs), NotIn(cursor.IdsAtModified)]),
                ],
            };
            sortBy = Modified;
        }
        return new JsonObject
        {
            ["filterGroups"] = groups,
            ["sorts"] = new JsonArray(new JsonObject { ["propertyName"] = sortBy, ["direction"] = "ASCENDING" }),
            ["properties"] = new JsonArray(properties.Select(p => (JsonNode?)p).ToArray()),
            ["limit"] = limit,
        };
    }

    /// <summary>
    /// The results of a call (in its order) to hand out, where the read stands after them, and whether the read is done
    /// (a call in date order after which no result is left: <paramref name="more"/> false). Of a page that ends inside a
    /// large tie, that tie's deals are held back for the id-ordered read of the whole instant.
    /// </summary>
    public static (List<JsonObject> Taken, HubSpotCursor? Next, bool Done) Advance(HubSpotCursor? cursor, List<JsonObject> results, bool more)
    {
        if (cursor?.TieAfter is not null)
        {
            return more
                ? (results, cursor with { TieAfter = Id(results[^1]) }, false)
                : (results, new HubSpotCursor(cursor.ModifiedMs, new HashSet<string>(StringComparer.Ordinal), All: true), false);
        }
        if (results.LastOrDefault(r => ModifiedMs(r) is not null) is not { } lastDated)
        {
            return (results, cursor, !more);
        }
        var last = ModifiedMs(lastDated)!.Value;
        var before = cursor is { All: false } && cursor.ModifiedMs == last ? cursor.IdsAtModified : new HashSet<string>(StringComparer.Ordinal);
        var atLast = before.Concat(results.Where(r => ModifiedMs(r) == last).Select(Id)).ToHashSet(StringComparer.Ordinal);
        if (atLast.Count <= MostIdsAtModified)
        {
            return (results, new HubSpotCursor(last, atLast), !more);
        }
        if (!more)
        {
            return (results, new HubSpotCursor(last, new HashSet<string>(StringComparer.Ordinal), All: true), true);
        }
        return (results.Where(r => ModifiedMs(r) != last).ToList(), new HubSpotCursor(last, before, TieAfter: ""), false);
    }

    public static long? ModifiedMs(JsonObject result) =>
        DateTimeOffset.TryParse(RecordIdentity.Text(result["properties"]?[Modified]) ?? RecordIdentity.Text(result["updatedAt"]),
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var modified)
            ? modified.ToUnixTimeMilliseconds()
            : null;

    private static string Id(JsonObject result) => RecordIdentity.Text(result["id"]) ?? "";

    private static JsonObject UpTo(long ms) => Filter(Modified, "LTE", ms);

    private static JsonObject Filter(string property, string op, long value) => Filter(property, op, value.ToString(CultureInfo.InvariantCulture));

    private static JsonObject Filter(string property, string op, string value) => new() { ["propertyName"] = property, ["operator"] = op, ["value"] = value };

    private static JsonObject NotIn(IReadOnlySet<string> ids) => new()
    {
        ["propertyName"] = ObjectId, ["operator"] = "NOT_IN", ["values"] = new JsonArray(ids.Order(StringComparer.Ordinal).Select(i => (JsonNode?)i).ToArray()),
    };

    private static JsonObject Group(JsonArray filters) => new() { ["filters"] = filters };
}
