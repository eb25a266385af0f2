namespace IntegrationSync.Bench.Support.Cosmos;

/// <summary>Requests by kind per 1,000 records, and the request units real Cosmos DB would charge for them (estimated).</summary>
public sealed record CosmosCost(
    int Records, int Requests, double Reads, double Writes, double Queries, double QueryPlans, double Metadata, double EstimatedRu,
    IReadOnlyDictionary<string, CosmosRequestGroup> ByKind)
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
            requests.GroupBy(r => r.Description).OrderByDescending(g => g.Count())
                .ToDictionary(g => g.Key, g => new CosmosRequestGroup(g.Count(), Math.Round(g.Sum(r => r.EstimatedRu), 1))));
    }

    public double Total => Math.Round(Requests * 1000.0 / Math.Max(1, Records), 2);

    public override string ToString() =>
        $"{Requests:N0} requests for {Records:N0} records; per 1,000 records: {Reads} reads, {Writes} writes, {Queries} queries "
        + $"(+{QueryPlans} query plans), {Metadata} metadata = {Total:F1}, ≈ {EstimatedRu} RU on real Cosmos DB; by kind: "
        + string.Join(", ", ByKind.Select(k => $"{k.Key} ×{k.Value.Requests} ({k.Value.EstimatedRu} RU)"));
}

public sealed record CosmosRequestGroup(int Requests, double EstimatedRu);
