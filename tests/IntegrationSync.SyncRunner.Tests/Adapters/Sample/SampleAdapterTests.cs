using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters.Http;
using IntegrationSync.SyncRunner.Adapters.Sample;
using IntegrationSync.SyncRunner.Publishing;
using IntegrationSync.SyncRunner.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Tests.Adapters.Sample;

public sealed class SampleAdapterTests
{
    private readonly SampleAdapter _adapter = new(Options.Create(new AdapterHttpOptions { MaxPageSize = 1000 }));

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

    [Fact]
    public async Task A_page_size_over_the_operators_cap_is_cut_to_the_cap()
    {
        var capped = new SampleAdapter(Options.Create(new AdapterHttpOptions { MaxPageSize = 3 }));

        var pages = await capped.ReadAllAsync(AdapterServices.Connection("sample", new JsonObject { ["count"] = 7, ["pageSize"] = 5000 }), "opportunity");

        Assert.Equal([3, 3, 1], pages.Select(p => p.Records.Count));
    }

    [Theory]
    [InlineData("opportunity", RecordClass.Crm)]
    [InlineData("contact", RecordClass.Crm)]
    [InlineData("document", RecordClass.Document)]
    [InlineData("file", RecordClass.Document)]
    [InlineData("email", RecordClass.Email)]
    [InlineData("message", RecordClass.Message)]
    [InlineData("meeting", RecordClass.Meeting)]
    [InlineData("event", RecordClass.CalendarEvent)]
    [InlineData("calendar", RecordClass.CalendarEvent)]
    public async Task Records_are_shaped_for_the_entity_type_and_recognisable_by_their_shape_alone(string entityType, RecordClass expected)
    {
        var records = (await _adapter.ReadAllAsync(Connection(), entityType)).SelectMany(p => p.Records).ToList();

        Assert.Equal(10, records.Count);
        Assert.All(records, r => Assert.Equal(expected, RecordClassifier.Classify(entityType, r.Data)));
        Assert.All(records, r => Assert.Equal(expected, RecordClassifier.Classify("no-such-type", r.Data)));
    }

    [Fact]
    public async Task An_activity_feed_cycles_through_every_shape()
    {
        var records = (await _adapter.ReadAllAsync(Connection(), SampleRecords.MixedEntityType)).SelectMany(p => p.Records);

        Assert.Equal(
            [RecordClass.Crm, RecordClass.Document, RecordClass.Email, RecordClass.Message, RecordClass.Meeting, RecordClass.CalendarEvent,
                RecordClass.Crm, RecordClass.Document, RecordClass.Email, RecordClass.Message],
            records.Select(r => RecordClassifier.Classify(SampleRecords.MixedEntityType, r.Data)));
    }

    [Fact]
    public void A_record_is_the_same_in_every_process()
    {
        var record = SampleAdapter.Generate(7, 3, "opportunity");

        Assert.Equal(("sample-7-0000003", 98904.73, "2026-01-01T00:03:00.0000000+00:00"),
            (record.ExternalId, record.Data["amount"]!.GetValue<double>(), record.Version));
    }
}
