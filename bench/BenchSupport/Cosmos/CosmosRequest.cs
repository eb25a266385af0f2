namespace IntegrationSync.Bench.Support.Cosmos;

public enum CosmosRequestKind
{
    PointRead,
    Create,
    Upsert,
    Replace,
    Patch,
    Delete,
    Query,
    QueryPlan,
    ReadFeed,
    Metadata,
}

/// <summary>One HTTP request the Cosmos SDK sent (gateway mode, name-based paths), with what real Cosmos DB would charge for it.</summary>
public sealed record CosmosRequest(CosmosRequestKind Kind, string Container, int Status, long RequestBytes, long ResponseBytes, string Document = "")
{
    public static CosmosRequest From(HttpRequestMessage request, HttpResponseMessage? response)
    {
        var segments = request.RequestUri!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return new(Classify(request), segments is [_, _, "colls", var container, ..] ? container : "", (int?)response?.StatusCode ?? 0,
            request.Content?.Headers.ContentLength ?? 0, response?.Content.Headers.ContentLength ?? 0,
            segments is [_, _, _, _, "docs", var id] ? DocumentOf(Uri.UnescapeDataString(id)) : "");
    }

    /// <summary>
    /// What kind of document an item request addressed, from the fleet's id convention <c>kind-…</c> (<c>tally-…</c>,
    /// <c>published-…</c>, <c>cursor-…</c>); "" for a GUID id or a request without one (creates and queries carry no id in the path).
    /// </summary>
    public static string DocumentOf(string id)
    {
        var prefix = id.Split('-')[0];
        return id.Contains('-') && prefix.Length > 0 && prefix.All(char.IsAsciiLetterLower) && !prefix.All(char.IsAsciiHexDigitLower) ? prefix : "";
    }

    /// <summary>What the request was, where, and how it ended when not with success, e.g. <c>Replace integration_executions 412</c>.</summary>
    public string Description => $"{Kind}{(Container.Length > 0 ? $" {Container}" : "")}{(Status is >= 200 and < 300 ? "" : $" {Status}")}";

    /// <summary>dbs/{db}/colls/{coll}/docs[/{id}] are item operations; every other path (account, database, container,
    /// partition key ranges) is metadata the SDK reads for its caches.</summary>
    public static CosmosRequestKind Classify(HttpRequestMessage request)
    {
        var segments = request.RequestUri!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length is < 5 or > 6 || segments[0] != "dbs" || segments[2] != "colls" || segments[4] != "docs")
        {
            return CosmosRequestKind.Metadata;
        }
        var item = segments.Length == 6;
        return request.Method.Method switch
        {
            "GET" => item ? CosmosRequestKind.PointRead : CosmosRequestKind.ReadFeed,
            "PUT" => CosmosRequestKind.Replace,
            "PATCH" => CosmosRequestKind.Patch,
            "DELETE" => CosmosRequestKind.Delete,
            "POST" when Flag(request, "x-ms-cosmos-is-query-plan-request") => CosmosRequestKind.QueryPlan,
            "POST" when Flag(request, "x-ms-documentdb-isquery") => CosmosRequestKind.Query,
            "POST" when Flag(request, "x-ms-documentdb-is-upsert") => CosmosRequestKind.Upsert,
            "POST" => CosmosRequestKind.Create,
            _ => CosmosRequestKind.Metadata,
        };
    }

    /// <summary>
    /// An estimate of the request units real Cosmos DB would charge (the test server charges none), from Microsoft's published
    /// figures for items under the default indexing policy: a point read 1 RU per KB of the item; a create or upsert about 5.5 RU
    /// for an item up to 1 KB, a replace or patch about 10 RU, a delete about 5.5 RU, each plus 1 RU per further KB of the item; a
    /// query page about 2.5 RU plus 1 RU per KB returned (one physical partition); a read that finds nothing, or a conditional
    /// write refused (409, 412), about 1 RU. Query plans and metadata reads cost no RU of the container.
    /// </summary>
    public double EstimatedRu
    {
        get
        {
            if (Kind is CosmosRequestKind.QueryPlan or CosmosRequestKind.Metadata || Status is 0 or 429 or >= 500)
            {
                return 0;
            }
            if (Status is 404 or 409 or 412)
            {
                return 1;
            }
            var item = Math.Max(RequestBytes, ResponseBytes);
            return Kind switch
            {
                CosmosRequestKind.PointRead => Kb(ResponseBytes),
                CosmosRequestKind.Query or CosmosRequestKind.ReadFeed => 2.5 + Kb(ResponseBytes),
                CosmosRequestKind.Replace or CosmosRequestKind.Patch => 10 + Kb(item) - 1,
                _ => 5.5 + Kb(item) - 1,
            };
        }
    }

    private static bool Flag(HttpRequestMessage request, string header) =>
        request.Headers.TryGetValues(header, out var values) && values.Any(v => v.Equals("true", StringComparison.OrdinalIgnoreCase));

    private static double Kb(long bytes) => Math.Max(1, Math.Ceiling(bytes / 1024.0));
}
