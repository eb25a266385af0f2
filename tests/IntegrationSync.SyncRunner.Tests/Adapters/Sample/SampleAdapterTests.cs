using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters.Sample;
using IntegrationSync.SyncRunner.Tests.Fakes;

namespace IntegrationSync.SyncRunner.Tests.Adapters.Sample;

public sealed class SampleAdapterTests
{
    private readonly SampleAdapter _adapter = new();

    private static IntegrationSync.SyncRunner.Adapters.AdapterConnection Connection(int seed = 7) =>
        AdapterServices.Connection("sample", new JsonObject { ["count"] = 10, ["pageSize"] = 4, ["seed"] = seed });

    [Fact]
    public async Task The_same_seed_gives_the_same_records_and_another_seed_other_records()
    {
        var first = await _adapter.ReadAllAsync(Connection(), "opportunity");
        var second = await _adapter.ReadAllAsync(Connection(), "opportunity");
        var other = await _adapter.ReadAllAsync(Connection(seed: 8), "opportunity");

        Assert.Equal(10, first.Ids().Distinct().Count());
        Assert.Equal(first.SelectMany(p => p.Records).Select(r => r.Data.ToJsonString()), second.SelectMany(p => p.Records).Select(r => r.Data.ToJsonString()));
        Assert.Empty(first.Ids().Intersect(other.Ids()));
    }

    [Fact]
    public async Task A_cursor_resumes_after_its_page()
    {
        var all = await _adapter.ReadAllAsync(Connection(), "opportunity");

        var resumed = await _adapter.ReadAllAsync(Connection(), "opportunity", all[0].NextCursor);

        Assert.Equal([4, 4, 2], all.Select(p => p.Records.Count));
        Assert.Null(all[^1].NextCursor);
        Assert.Equal(all.Ids()[4..], resumed.Ids());
    }
}
