namespace IntegrationSync.Bench.Support.Cosmos;

/// <summary>Requests by kind per 1,000 records, and the request units real Cosmos DB would charge for them (estimated).</summary>
public sealed record CosmosCost(
    int Records, int Requests, double Reads, double Writes, double Queries, double QueryPlans, double Metadata, double EstimatedRu,
    IReadOnlyDictionary<string, CosmosRequestGroup> ByKind, IReadOnlyDictionary<string, CosmosRequestGroup> ByDocument)
{
    public static CosmosCost Of(IReadOnlyList<CosmosRequest> requests, int records)
    {
        var per = 1000.0 / Math.Max(1, records);
        double Per(params CosmosRequestKind[] kinds) => Math.Round(requests.Count(r => kinds.Contains(r.Kind)) * per, 2);
        return new CosmosCost(
            records, requests.Count,
            Per(CosmosRequestKind.PointRead, CosmosRequestKind.ReadFeed),
            Per(CosmosRequestKind.Create, CosmosRequestKind.Upsert, CosmosRequestKind.Replace, CosmosRequestKind.Patch, CosmosRequestKind.Delete),
            Per(CosmosRequestKind.Query),
            Per(CosmosRequestKind.QueryPlan),
            Per(CosmosRequestKind.Metadata),
            Math.Round(requests.Sum(r => r.EstimatedRu) * per, 1),
            Groups(requests, r => r.Description),
            Groups(requests.Where(r => r.Document.Length > 0), r => $"{r.Description} {r.Document}"));
    }

    private static Dictionary<string, CosmosRequestGroup> Groups(IEnumerable<CosmosRequest> requests, Func<CosmosRequest, string> key) =>
        requests.GroupBy(key).OrderByDescending(g => g.Count())
            .ToDictionary(g => g.Key, g => new CosmosRequestGroup(g.Count(), Math.Round(g.Sum(r => r.EstimatedRu), 1)));

    /// <summary>The item requests whose id names its document's kind (see <see cref="CosmosRequest.DocumentOf"/>).</summary>
    public string DocumentsSummary() => string.Join(", ", ByDocument.Select(k => $"{k.Key} ×{k.Value.Requests} ({k.Value.EstimatedRu} RU)"));

    public double Total => Math.Round(Requests * 1000.0 / Math.Max(1, Records), 2);

    public override string ToString() =>
        $"{Requests:N0} requests for {Records:N0} records; per 1,000 records: {Reads} reads, {Writes} writes, {Queries} queries "
        + $"(+{QueryPlans} query plans), {Metadata} metadata = {Total:F1}, ≈ {EstimatedRu} RU on real Cosmos DB; by kind: "
        + string.Join(", ", ByKind.Select(k => $"{k.Key} ×{k.Value.Requests} ({k.Value.EstimatedRu} RU)"));
}

public sealed record CosmosRequestGroup(int Requests, double EstimatedRu);
