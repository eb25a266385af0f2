using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using Microsoft.Extensions.Options;

namespace IntegrationSync.CastielPeers.Mapper;

/// <summary>Answers each raw record the way integration-processors' CRM mapper does (reference §2.4).</summary>
public sealed class StandInMapper(IEventPublisher publisher, IOptions<MapperOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, byte> _seen = new();

    public Task MapAsync(string tenantId, string integrationId, string syncTaskId, string correlationId,
        string externalId, string idempotencyKey, CancellationToken cancellationToken)
    {
        if (Fails(idempotencyKey))
        {
            return Copies(() => publisher.PublishAsync(
                new DataMappingFailed(integrationId, tenantId, externalId, syncTaskId, idempotencyKey, correlationId,
                    "Stand-in mapper: simulated mapping failure"),
                tenantId, cancellationToken: cancellationToken));
        }
        var created = _seen.TryAdd(idempotencyKey, 0);
        var now = IsoTime.Format(time.GetUtcNow());
        return Copies(() => publisher.PublishAsync(
            new DataMapped(integrationId, tenantId, $"shard-{externalId}", externalId, syncTaskId, idempotencyKey, correlationId,
                Success: true, Duration: 1, Created: created, CreatedAt: created ? now : null, UpdatedAt: created ? null : now),
            tenantId, cancellationToken: cancellationToken));
    }

    private Task Copies(Func<Task> publish) => Task.WhenAll(Enumerable.Range(0, options.Value.Copies).Select(_ => publish()));

    public bool Fails(string idempotencyKey) =>
        options.Value.FailureRate > 0
        && BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)), 0) / (double)uint.MaxValue < options.Value.FailureRate;
}

public sealed class DataRawHandler(StandInMapper mapper) : IEventHandler<DataRaw>
{
    public Task HandleAsync(EventContext<DataRaw> context, CancellationToken cancellationToken)
    {
        var d = context.Data;
        return mapper.MapAsync(d.TenantId, d.IntegrationId, d.SyncTaskId, d.CorrelationId, d.ExternalId, d.IdempotencyKey, cancellationToken);
    }
}

public sealed class DataRawBatchHandler(StandInMapper mapper) : IEventHandler<DataRawBatch>
{
    public Task HandleAsync(EventContext<DataRawBatch> context, CancellationToken cancellationToken)
    {
        var d = context.Data;
        return Task.WhenAll(d.Records.Select(r =>
            mapper.MapAsync(d.TenantId, d.IntegrationId, d.SyncTaskId, d.CorrelationId, r.ExternalId, r.IdempotencyKey, cancellationToken)));
    }
}

/// <summary>The non-CRM processors of integration-processors: they take their records and, as the real ones, report nothing back.</summary>
public sealed class ProcessorSink<TEvent> : IEventHandler<TEvent>
{
    public Task HandleAsync(EventContext<TEvent> context, CancellationToken cancellationToken) => Task.CompletedTask;
}
