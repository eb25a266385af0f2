using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.SyncRunner.Adapters;

namespace IntegrationSync.SyncRunner.Publishing;

/// <summary>
/// Publishes one run's records with the original's rule: more than <c>mapping.batch_threshold</c> records →
/// every record in <c>integration.data.raw.batch</c> events of <c>mapping.batch_size</c>; otherwise one
/// <c>integration.data.raw</c> per record. Records are held back only until the threshold is crossed.
/// </summary>
public sealed class RawRecordPublication(IEventPublisher publisher, MappingOptions mapping, RunContext run, bool batchMode = false, int published = 0)
{
    private readonly List<SourceRecord> _held = [];
    private readonly EventMetadata _metadata = new(CorrelationId: run.ExecutionId);
    private readonly RawRecordMetadata _recordMetadata = new(run.Direction, run.Filters);
    private bool _batchMode = batchMode;

    /// <summary>Records handed to the broker (confirmed once their page's task completed).</summary>
    public int Published { get; private set; } = published;

    public bool BatchMode => _batchMode;

    /// <summary>Records read but not yet published (a small run is only known to be small at its end): no checkpoint past them.</summary>
    public bool HoldsRecords => _held.Count > 0;

    /// <summary>Hands a page to the broker; the task completes when all of its messages are confirmed (pages may overlap).</summary>
    public Task AddPageAsync(IReadOnlyList<SourceRecord> records, CancellationToken cancellationToken)
    {
        if (_batchMode)
        {
            return PublishBatchesAsync(records, cancellationToken);
        }
        _held.AddRange(records);
        if (_held.Count <= mapping.BatchThreshold)
        {
            return Task.CompletedTask;
        }
        _batchMode = true;
        var held = _held.ToList();
        _held.Clear();
        return PublishBatchesAsync(held, cancellationToken);
    }

    /// <summary>The run has no more records: what is still held is a small run, published one event per record.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(_held.Select(record => publisher.PublishAsync(
            new DataRaw(run.IntegrationId, run.TenantId, record.ExternalId, run.TaskId, run.ExecutionId, _recordMetadata,
                run.EntityType, record.Data, run.IdempotencyKey(record.ExternalId)),
            run.TenantId, _metadata, cancellationToken)));
        Published += _held.Count;
        _held.Clear();
    }

    private Task PublishBatchesAsync(IReadOnlyList<SourceRecord> records, CancellationToken cancellationToken)
    {
        Published += records.Count;
        return Task.WhenAll(records.Chunk(mapping.BatchSize).Select(chunk => publisher.PublishAsync(
            new DataRawBatch(run.IntegrationId, run.TenantId, run.EntityType,
                chunk.Select(r => new RawBatchRecord(r.Data, r.ExternalId, run.IdempotencyKey(r.ExternalId))).ToList(),
                run.TaskId, run.ExecutionId, chunk.Length, _recordMetadata),
            run.TenantId, _metadata, cancellationToken)));
    }
}
