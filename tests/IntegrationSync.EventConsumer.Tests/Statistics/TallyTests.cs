using System.Buffers.Binary;
using System.Text.Json.Nodes;
using IntegrationSync.EventConsumer.Statistics;
using IntegrationSync.Shared.Storage;
using IntegrationSync.TestSupport;
using Microsoft.Azure.Cosmos;

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
    public async Task Two_replicas_counting_overlapping_results_past_many_sealed_chunks_stay_exact()
    {
        var executionId = Guid.NewGuid().ToString();
        var results = Results(20_000);
        var (replicaA, replicaB) = (new ExecutionTallyRepository(database.Containers), new ExecutionTallyRepository(database.Containers));

        // Each replica sees two thirds of the results, in batches, at the same time; a third of them both see.
        await Task.WhenAll(
            Task.Run(async () => { foreach (var batch in results.Take(13_334).Chunk(1000)) { await replicaA.RecordAsync(_tenant, executionId, batch, CancellationToken.None); } }),
            Task.Run(async () => { foreach (var batch in results.Skip(6_666).Chunk(1000)) { await replicaB.RecordAsync(_tenant, executionId, batch, CancellationToken.None); } }));
        var again = await new ExecutionTallyRepository(database.Containers).RecordAsync(_tenant, executionId, results, CancellationToken.None);

        Assert.Equal(0, again.Total);
        await AssertTotalsAsync(executionId, results);
    }

    [Fact]
    public async Task A_write_carries_the_counters_and_at_most_two_chunks_of_open_keys_however_many_were_counted()
    {
        var executionId = Guid.NewGuid().ToString();
        var results = Results(10_000);
        var tallies = new ExecutionTallyRepository(database.Containers);

        foreach (var batch in results.Chunk(100))
        {
            await tallies.RecordAsync(_tenant, executionId, batch, CancellationToken.None);
            var stored = await StoredAsync(ExecutionTallyDocument.IdFor(executionId));
            Assert.True(Open(stored) < 2 * ExecutionTallyDocument.OpenCapacity, $"{Open(stored)} open keys in the tally");
        }

        var sealedChunks = await ChunksAsync(executionId);
        Assert.Equal(10_000, sealedChunks.Sum(c => PackedDigests.Decode(c["digests"]!.GetValue<string>()).Length)
            + Open(await StoredAsync(ExecutionTallyDocument.IdFor(executionId))));
        Assert.Equal(0, (await new ExecutionTallyRepository(database.Containers).RecordAsync(_tenant, executionId, results, CancellationToken.None)).Total);
        await AssertTotalsAsync(executionId, results);
    }

    [Fact]
    public async Task One_batch_of_more_results_than_a_hundred_writes_hold_is_counted_whole()
    {
        // statistics.max_batch allows 100,000 results a batch: far more than one write's open capacity.
        var executionId = Guid.NewGuid().ToString();
        var results = Results(ExecutionTallyDocument.OpenCapacity * 101);

        var counted = await new ExecutionTallyRepository(database.Containers).RecordAsync(_tenant, executionId, results, CancellationToken.None);

        Assert.Equal(results.Count, counted.Total);
        await AssertTotalsAsync(executionId, results);
    }

    [Fact]
    public async Task A_seal_interrupted_before_the_tally_moved_on_is_finished_by_the_next_write_and_nothing_counts_twice()
    {
        var executionId = Guid.NewGuid().ToString();
        var results = Results(ExecutionTallyDocument.OpenCapacity);
        await new ExecutionTallyRepository(database.Containers).RecordAsync(_tenant, executionId, results, CancellationToken.None);
        var open = PackedDigests.Decode((await StoredAsync(ExecutionTallyDocument.IdFor(executionId)))["open"]!.GetValue<string>());
        Assert.Equal(ExecutionTallyDocument.OpenCapacity, open.Length);

        // A replica created the chunk with only part of the open keys (an earlier, smaller capacity) and died before
        // moving the tally on.
        await database.Containers.SyncState.CreateItemAsync(new TallyKeysDocument
        {
            Id = TallyKeysDocument.IdFor(executionId, 0), TenantId = _tenant, ExecutionId = executionId, Digests = PackedDigests.Encode(open[..100]),
        }, new PartitionKey(_tenant));
        var more = Results(ExecutionTallyDocument.OpenCapacity + 20).Skip(results.Count).ToList();
        await new ExecutionTallyRepository(database.Containers).RecordAsync(_tenant, executionId, more, CancellationToken.None);

        var again = await new ExecutionTallyRepository(database.Containers).RecordAsync(_tenant, executionId, [.. results, .. more], CancellationToken.None);
        Assert.Equal(0, again.Total);
        Assert.Equal(open.Length, PackedDigests.Decode(Assert.Single(await ChunksAsync(executionId))["digests"]!.GetValue<string>()).Length);
        await AssertTotalsAsync(executionId, [.. results, .. more]);
    }

    [Fact]
    public async Task Results_an_earlier_version_counted_in_its_sharded_segments_are_not_counted_again()
    {
        var executionId = Guid.NewGuid().ToString();
        var results = Results(300);
        var earlier = results.Take(200).ToList();
        // The earlier layout: eight shards of segments, each key the base64 of its digest's eight bytes, with its counters.
        foreach (var shard in earlier.GroupBy(r => (int)(ExecutionTallyDocument.KeyOf(r.Key) & 0xFF) % 8))
        {
            await database.Containers.SyncState.CreateItemAsync(new JsonObject
            {
                ["id"] = $"tally-{executionId}-{shard.Key}-0", ["tenantId"] = _tenant, ["type"] = ExecutionTallyDocument.DocType,
                ["executionId"] = executionId, ["shard"] = shard.Key, ["segment"] = 0,
                ["created"] = shard.Count(r => r.Outcome == MappingOutcome.Created), ["updated"] = shard.Count(r => r.Outcome == MappingOutcome.Updated),
                ["failed"] = shard.Count(r => r.Outcome == MappingOutcome.Failed),
                ["keys"] = new JsonArray([.. shard.Select(r => (JsonNode)LegacyKey(r.Key))]),
            }, new PartitionKey(_tenant));
        }

        var counted = await new ExecutionTallyRepository(database.Containers).RecordAsync(_tenant, executionId, results, CancellationToken.None);

        Assert.Equal(100, counted.Total);
        await AssertTotalsAsync(executionId, results);
    }

    private static List<(string Key, MappingOutcome Outcome)> Results(int count) =>
        Enumerable.Range(0, count).Select(i => ($"key-{i}", (MappingOutcome)(i % 3))).ToList();

    private static string LegacyKey(string key)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ExecutionTallyDocument.KeyOf(key));
        return Convert.ToBase64String(bytes);
    }

    private async Task AssertTotalsAsync(string executionId, List<(string Key, MappingOutcome Outcome)> results)
    {
        var expected = results.GroupBy(r => r.Outcome).ToDictionary(g => g.Key, g => g.Count());
        var totals = await new ExecutionTallyRepository(database.Containers).ReadTotalsAsync(_tenant, executionId, CancellationToken.None);
        Assert.Equal((expected[MappingOutcome.Created], expected[MappingOutcome.Updated], expected[MappingOutcome.Failed]),
            (totals.Created, totals.Updated, totals.Failed));
    }

    private static int Open(JsonObject tally) => PackedDigests.Decode(tally["open"]?.GetValue<string>()).Length;

    private async Task<JsonObject> StoredAsync(string id) =>
        (await database.Containers.SyncState.ReadItemAsync<JsonObject>(id, new PartitionKey(_tenant))).Resource;

    private async Task<List<JsonObject>> ChunksAsync(string executionId)
    {
        var chunks = new List<JsonObject>();
        using var query = database.Containers.SyncState.GetItemQueryIterator<JsonObject>(
            new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @t AND c.type = @type AND c.executionId = @e")
                .WithParameter("@t", _tenant).WithParameter("@type", TallyKeysDocument.DocType).WithParameter("@e", executionId),
            requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(_tenant) });
        while (query.HasMoreResults)
        {
            chunks.AddRange(await query.ReadNextAsync());
        }
        return chunks;
    }
}
