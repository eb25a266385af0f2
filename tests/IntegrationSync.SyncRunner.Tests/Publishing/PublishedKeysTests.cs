using IntegrationSync.Shared.Storage;
using IntegrationSync.SyncRunner.Publishing;
using IntegrationSync.TestSupport;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Tests.Publishing;

public sealed class PublishedKeysTests(CosmosTestDatabase database) : IClassFixture<CosmosTestDatabase>
{
    private readonly string _tenant = Guid.NewGuid().ToString();

    [Fact]
    public void A_digest_set_counts_each_digest_once_across_growth()
    {
        var set = new DigestSet();
        var digests = Enumerable.Range(0, 50_000).Select(i => PublishedKeys.DigestOf($"r-{i}", forwarded: false)).ToList();

        Assert.All(digests, d => Assert.True(set.Add(d)));
        Assert.All(digests, d => Assert.False(set.Add(d)));
        Assert.Equal(50_000, set.Count);
        Assert.True(set.Add(0));
        Assert.False(set.Add(0));
    }

    [Fact]
    public void A_record_published_again_is_resent_not_counted_and_its_class_is_kept()
    {
        var keys = new PublishedKeys();

        Assert.True(keys.Add("a", forwarded: false));
        Assert.True(keys.Add("b", forwarded: true));
        Assert.False(keys.Add("a", forwarded: false));

        Assert.Equal((2, 1, 1, 2L), (keys.Count, keys.Forwarded, keys.Resent, keys.Added));
    }

    [Fact]
    public async Task A_resumed_run_knows_every_record_published_up_to_its_checkpoint_and_nothing_after()
    {
        var executionId = Guid.NewGuid().ToString();
        var first = Log(executionId);
        await first.LoadAsync(CancellationToken.None);
        foreach (var i in Enumerable.Range(0, 9_000))
        {
            first.Keys.Add($"r-{i}", forwarded: i % 3 == 0);
        }
        // The checkpoint covers the first 8,500; the rest were in flight when the runner died.
        await first.SaveThroughAsync(8_500, CancellationToken.None);

        var resumed = Log(executionId);
        await resumed.LoadAsync(CancellationToken.None);

        Assert.Equal((8_500, Enumerable.Range(0, 8_500).Count(i => i % 3 == 0)), (resumed.Keys.Count, resumed.Keys.Forwarded));
        Assert.False(resumed.Keys.Add("r-8498", forwarded: false));
        Assert.True(resumed.Keys.Add("r-8500", forwarded: false));
    }

    [Fact]
    public async Task A_runner_that_lost_the_execution_and_its_successor_both_appending_lose_no_digest()
    {
        var executionId = Guid.NewGuid().ToString();
        var (zombie, successor) = (Log(executionId), Log(executionId));
        await zombie.LoadAsync(CancellationToken.None);
        await successor.LoadAsync(CancellationToken.None);
        zombie.Keys.Add("from-the-zombie", forwarded: false);
        successor.Keys.Add("from-the-successor", forwarded: false);

        await zombie.SaveThroughAsync(1, CancellationToken.None);
        await successor.SaveThroughAsync(1, CancellationToken.None);

        var reader = Log(executionId);
        await reader.LoadAsync(CancellationToken.None);
        Assert.Equal(2, reader.Keys.Count);
    }

    [Fact]
    public async Task A_checkpoint_stores_only_the_digests_it_adds_never_those_stored_before()
    {
        var executionId = Guid.NewGuid().ToString();
        var log = Log(executionId);
        await log.LoadAsync(CancellationToken.None);
        var segments = new PublishedKeySegments(database.Containers);

        var sizes = new List<int>();
        for (var checkpoint = 1; checkpoint <= 5; checkpoint++)
        {
            foreach (var i in Enumerable.Range(checkpoint * 1000, 700))
            {
                log.Keys.Add($"r-{i}", forwarded: false);
            }
            await log.SaveThroughAsync(log.Keys.Added, CancellationToken.None);
            sizes.Add((await segments.ListAsync(_tenant, executionId, CancellationToken.None)).MaxBy(s => s.Segment)!.Decode().Length);
        }

        Assert.Equal([700, 700, 700, 700, 700], sizes);
        var resumed = Log(executionId);
        await resumed.LoadAsync(CancellationToken.None);
        Assert.Equal(3_500, resumed.Keys.Count);
    }

    private PublishedKeyLog Log(string executionId) =>
        new PublishedKeySegments(database.Containers).Open(new CosmosRetry(Options.Create(database.Options), TimeProvider.System), _tenant, executionId);
}
