using IntegrationSync.EventConsumer.Statistics;
using IntegrationSync.TestSupport;

namespace IntegrationSync.EventConsumer.Tests.Statistics;

public sealed class TallyTests(CosmosTestDatabase database) : IClassFixture<CosmosTestDatabase>
{
    private readonly string _tenant = Guid.NewGuid().ToString();

    [Fact]
    public async Task A_tally_counts_each_result_once_whatever_the_duplicates()
    {
        var tallies = new ExecutionTallyRepository(database.Containers);
        var executionId = Guid.NewGuid().ToString();
        var results = Enumerable.Range(0, 30)
            .Select(i => ($"key-{i}", i % 3 == 0 ? MappingOutcome.Failed : i % 3 == 1 ? MappingOutcome.Created : MappingOutcome.Updated))
            .ToList();

        // Every result three times, concurrently, in a shuffled order.
        var deliveries = results.Concat(results).Concat(results).OrderBy(_ => Random.Shared.Next()).ToList();
        await Task.WhenAll(deliveries.Select(r => tallies.RecordAsync(_tenant, executionId, [r], CancellationToken.None)));

        var totals = await tallies.ReadTotalsAsync(_tenant, executionId, CancellationToken.None);
        Assert.Equal((10, 10, 10), (totals.Created, totals.Updated, totals.Failed));
    }

    [Fact]
    public async Task Two_replicas_counting_overlapping_results_past_a_segments_capacity_stay_exact()
    {
        var executionId = Guid.NewGuid().ToString();
        var results = Enumerable.Range(0, 20_000).Select(i => ($"key-{i}", (MappingOutcome)(i % 3))).ToList();
        var (replicaA, replicaB) = (new ExecutionTallyRepository(database.Containers), new ExecutionTallyRepository(database.Containers));

        // Each replica sees two thirds of the results, in batches, at the same time; a third of them both see.
        await Task.WhenAll(
            Task.Run(async () => { foreach (var batch in results.Take(13_334).Chunk(1000)) { await replicaA.RecordAsync(_tenant, executionId, batch, CancellationToken.None); } }),
            Task.Run(async () => { foreach (var batch in results.Skip(6_666).Chunk(1000)) { await replicaB.RecordAsync(_tenant, executionId, batch, CancellationToken.None); } }));
        var again = await new ExecutionTallyRepository(database.Containers).RecordAsync(_tenant, executionId, results, CancellationToken.None);

        Assert.Equal(0, again.Total);
        var expected = results.GroupBy(r => r.Item2).ToDictionary(g => g.Key, g => g.Count());
        var totals = await replicaA.ReadTotalsAsync(_tenant, executionId, CancellationToken.None);
        Assert.Equal((expected[MappingOutcome.Created], expected[MappingOutcome.Updated], expected[MappingOutcome.Failed]),
            (totals.Created, totals.Updated, totals.Failed));
    }
}
