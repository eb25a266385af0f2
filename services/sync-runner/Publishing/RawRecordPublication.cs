using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.SyncRunner.Adapters;

namespace IntegrationSync.SyncRunner.Publishing;

/// <summary>
/// Publishes one run's records with the original's rule: more than <c>mapping.batch_threshold</c> records → the CRM
/// records in <c>integration.data.raw.batch</c> events of <c>mapping.batch_size</c>; otherwise one <c>integration.data.raw</c>
/// per CRM record. Every other record goes to its processor in an event of its own class (<see cref="RecordClassifier"/>),
/// in both modes: unlike the original's, batches never carry documents or emails to the CRM mapper.
/// Records are held back only until the threshold is crossed. Every record sent is counted once in <paramref name="keys"/>.
/// Without batches (<paramref name="batches"/> false: peers that refuse <c>integration.data.raw.batch</c>) every record
/// goes out as it comes, one event each.
/// </summary>
public sealed class RawRecordPublication(
    IEventPublisher publisher, MappingOptions mapping, RunContext run, PublishedKeys keys, bool batchMode = false, bool batches = true)
{
    private readonly List<SourceRecord> _held = [];
    private readonly EventMetadata _metadata = new(CorrelationId: run.ExecutionId);
    private readonly RecordClassifier _classifier = new(run.EntityType);
    private readonly int[] _sentByClass = new int[Enum.GetValues<RecordClass>().Length];
    private bool _batchMode = batchMode;

    public bool BatchMode => _batchMode;

    /// <summary>The metric label of the records this run reads: their class, or <c>mixed</c> when each record's shape decides.</summary>
    public string ClassLabel => _classifier.OfEntityType?.Label() ?? "mixed";

    /// <summary>Records sent so far by class (a record sent twice counts twice).</summary>
    public IEnumerable<(RecordClass Class, int Count)> SentByClass =>
        _sentByClass.Select((count, index) => ((RecordClass)index, count)).Where(c => c.count > 0);

    /// <summary>Records read but not yet published (a small run is only known to be small at its end): no checkpoint past them.</summary>
    public bool HoldsRecords => _held.Count > 0;

    /// <summary>Hands a page to the broker; the task completes when all of its messages are confirmed (pages may overlap).</summary>
    public Task AddPageAsync(IReadOnlyList<SourceRecord> records, CancellationToken cancellationToken)
    {
        if (!batches)
        {
            return PublishSinglesAsync(records, cancellationToken);
        }
        if (_batchMode)
        {
            return PublishInBatchModeAsync(records, cancellationToken);
        }
        _held.AddRange(records);
        if (_held.Count <= mapping.BatchThreshold)
        {
            return Task.CompletedTask;
        }
        _batchMode = true;
        var held = _held.ToList();
        _held.Clear();
        return PublishInBatchModeAsync(held, cancellationToken);
    }

    /// <summary>The run has no more records: what is still held is a small run, published one event per record.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        var held = _held.ToList();
        _held.Clear();
        await PublishSinglesAsync(held, cancellationToken);
    }

    private Task PublishSinglesAsync(IReadOnlyList<SourceRecord> records, CancellationToken cancellationToken)
    {
        var sends = new List<Task>(records.Count);
        ForwardOthers(records, sends, record => sends.Add(publisher.PublishAsync(
            new DataRaw(run.IntegrationId, run.TenantId, record.ExternalId, run.TaskId, run.ExecutionId, run.RecordMetadata,
                run.EntityType, record.Data, run.IdempotencyKey(record.ExternalId)),
            run.TenantId, _metadata, cancellationToken)), cancellationToken);
        return Task.WhenAll(sends);
    }

    private Task PublishInBatchModeAsync(IReadOnlyList<SourceRecord> records, CancellationToken cancellationToken)
    {
        var sends = new List<Task>();
        var crm = new List<SourceRecord>(records.Count);
        ForwardOthers(records, sends, crm.Add, cancellationToken);
        sends.AddRange(crm.Chunk(mapping.BatchSize).Select(chunk => publisher.PublishAsync(
            new DataRawBatch(run.IntegrationId, run.TenantId, run.EntityType,
                chunk.Select(r => new RawBatchRecord(r.Data, r.ExternalId, run.IdempotencyKey(r.ExternalId))).ToList(),
                run.TaskId, run.ExecutionId, chunk.Length, run.RecordMetadata),
            run.TenantId, _metadata, cancellationToken)));
        return Task.WhenAll(sends);
    }

    /// <summary>
    /// In record order: every non-CRM record sent to its processor (adding the sends), every CRM record to <paramref name="crm"/>;
    /// each counted in the execution's published keys.
    /// </summary>
    private void ForwardOthers(IReadOnlyList<SourceRecord> records, List<Task> sends, Action<SourceRecord> crm, CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            var kind = _classifier.Classify(record.Data);
            keys.Add(record.ExternalId, forwarded: kind != RecordClass.Crm);
            _sentByClass[(int)kind]++;
            if (kind == RecordClass.Crm)
            {
                crm(record);
            }
            else
            {
                sends.Add(Forward(kind, record, cancellationToken));
            }
        }
    }

    private Task Forward(RecordClass kind, SourceRecord record, CancellationToken cancellationToken) => kind switch
    {
        RecordClass.Document => publisher.PublishAsync(ForwardedRecordEvents.Document(run, record), run.TenantId, _metadata, cancellationToken),
        RecordClass.Email => publisher.PublishAsync(ForwardedRecordEvents.Email(run, record), run.TenantId, _metadata, cancellationToken),
        RecordClass.Message => publisher.PublishAsync(ForwardedRecordEvents.Message(run, record), run.TenantId, _metadata, cancellationToken),
        RecordClass.Meeting => publisher.PublishAsync(ForwardedRecordEvents.Meeting(run, record), run.TenantId, _metadata, cancellationToken),
        RecordClass.CalendarEvent => publisher.PublishAsync(ForwardedRecordEvents.CalendarEvent(run, record), run.TenantId, _metadata, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "CRM records are not forwarded"),
    };
}
