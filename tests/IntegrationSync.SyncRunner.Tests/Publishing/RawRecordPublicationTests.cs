using System.Text.Json.Nodes;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Publishing;
using IntegrationSync.SyncRunner.Tests.Fakes;

namespace IntegrationSync.SyncRunner.Tests.Publishing;

public sealed class RawRecordPublicationTests
{
    private static readonly MappingOptions Mapping = new() { BatchThreshold = 10, BatchSize = 4 };
    private readonly RecordingPublisher _publisher = new();
    private readonly PublishedKeys _keys = new();

    // One record of each shape, classified by shape under an entity type of no class of its own; CRM twice per cycle.
    private static readonly string[] Shapes =
    [
        """{"name":"Acme","amount":10}""",
        """{"mimeType":"application/pdf","fileUrl":"https://f"}""",
        """{"threadId":"t","subject":"Hi","from":"a@example.com"}""",
        """{"channelId":"C1","text":"hi"}""",
        """{"recordingUrl":"https://r","startTime":"s"}""",
        """{"startTime":"s","endTime":"e"}""",
        """{"name":"Globex","stage":"proposal"}""",
    ];

    [Fact]
    public async Task A_small_mixed_run_sends_every_record_as_the_event_of_its_class()
    {
        var publication = Publication("activity");

        await publication.AddPageAsync(Records(0, 7), CancellationToken.None);
        Assert.Empty(_publisher.Published);
        await publication.CompleteAsync(CancellationToken.None);

        Assert.Equal(
            [EventNames.DataRaw, EventNames.DocumentDetected, EventNames.EmailReceived, EventNames.MessageReceived,
                EventNames.MeetingCompleted, EventNames.CalendarEventCreated, EventNames.DataRaw],
            _publisher.Published.Select(p => p.Name));
        Assert.Equal((7, 5), (_keys.Count, _keys.Forwarded));
        Assert.Equal(["r-0", "r-6"], _publisher.OfType<DataRaw>().Select(r => r.ExternalId));
        Assert.All(_publisher.Published, p => Assert.Equal(("t-1", "e-1"), (p.TenantId, p.Metadata?.CorrelationId)));
        Assert.Equal("google_drive", _publisher.OfType<DocumentDetected>().Single().IntegrationSource);
    }

    [Fact]
    public async Task A_batch_mode_run_sends_only_crm_records_in_batches_and_every_other_record_on_its_own()
    {
        var publication = Publication("activity");

        await publication.AddPageAsync(Records(0, 7), CancellationToken.None);
        await publication.AddPageAsync(Records(7, 7), CancellationToken.None);
        await publication.AddPageAsync(Records(14, 7), CancellationToken.None);
        await publication.CompleteAsync(CancellationToken.None);

        Assert.True(publication.BatchMode);
        var batches = _publisher.OfType<DataRawBatch>();
        // The first two pages cross the threshold together (4 CRM records), the third is published as it comes (2 CRM records).
        Assert.Equal([4, 2], batches.Select(b => b.BatchSize));
        Assert.Equal(["r-0", "r-6", "r-7", "r-13", "r-14", "r-20"], batches.SelectMany(b => b.Records).Select(r => r.ExternalId));
        Assert.Empty(_publisher.OfType<DataRaw>());
        Assert.Equal(
            [(EventNames.DocumentDetected, 3), (EventNames.EmailReceived, 3), (EventNames.CalendarEventCreated, 3),
                (EventNames.MeetingCompleted, 3), (EventNames.MessageReceived, 3)],
            _publisher.Published.Where(p => p.Name != EventNames.DataRawBatch)
                .GroupBy(p => p.Name).Select(g => (g.Key, g.Count())).OrderBy(c => c.Key, StringComparer.Ordinal));
        Assert.Equal((21, 15), (_keys.Count, _keys.Forwarded));
    }

    [Fact]
    public async Task A_document_run_over_the_threshold_sends_no_batch_at_all()
    {
        var publication = Publication("Document");

        await publication.AddPageAsync(Records(0, 14), CancellationToken.None);
        await publication.CompleteAsync(CancellationToken.None);

        Assert.True(publication.BatchMode);
        Assert.Equal(Enumerable.Repeat(EventNames.DocumentDetected, 14), _publisher.Published.Select(p => p.Name));
        Assert.Equal((14, 14), (_keys.Count, _keys.Forwarded));
    }

    [Fact]
    public async Task An_email_entity_type_sends_records_without_thread_subject_or_parties_as_chat_messages()
    {
        var publication = Publication("email");

        await publication.AddPageAsync(Records(2, 2), CancellationToken.None);
        await publication.CompleteAsync(CancellationToken.None);

        Assert.Equal([EventNames.EmailReceived, EventNames.MessageReceived], _publisher.Published.Select(p => p.Name));
    }

    [Fact]
    public async Task A_resumed_batch_mode_run_counts_on_from_the_keys_it_published_before()
    {
        foreach (var index in Enumerable.Range(100, 40))
        {
            _keys.Restore(PublishedKeys.DigestOf($"earlier-{index}", forwarded: index % 2 == 0));
        }
        var publication = new RawRecordPublication(_publisher, Mapping, Run("activity"), _keys, batchMode: true);

        await publication.AddPageAsync(Records(0, 3), CancellationToken.None);
        await publication.CompleteAsync(CancellationToken.None);

        Assert.Equal([1], _publisher.OfType<DataRawBatch>().Select(b => b.BatchSize));
        Assert.Equal((43, 22), (_keys.Count, _keys.Forwarded));
    }

    [Fact]
    public async Task A_record_published_twice_in_one_execution_is_sent_again_with_its_latest_data_but_counted_once()
    {
        var publication = Publication("activity");

        await publication.AddPageAsync(Records(0, 2), CancellationToken.None);
        await publication.AddPageAsync(Records(0, 2), CancellationToken.None);
        await publication.CompleteAsync(CancellationToken.None);

        Assert.Equal(["r-0", "r-0"], _publisher.OfType<DataRaw>().Select(r => r.ExternalId));
        Assert.Equal((2, 1, 2), (_keys.Count, _keys.Forwarded, _keys.Resent));
    }

    private RawRecordPublication Publication(string entityType) => new(_publisher, Mapping, Run(entityType), _keys);

    private static RunContext Run(string entityType) =>
        new("t-1", "i-1", "task-1", "e-1", entityType, "inbound", null) { ProviderName = "google_drive" };

    private static List<SourceRecord> Records(int from, int count) => Enumerable.Range(from, count)
        .Select(i => new SourceRecord($"r-{i}", JsonNode.Parse(Shapes[i % Shapes.Length])!.AsObject()))
        .ToList();
}
