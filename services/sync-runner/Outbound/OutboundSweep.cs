using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Leases;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.SyncState;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>
/// Once per fleet every <c>bidirectional.sweep_interval_seconds</c>: Castiel changes recorded longer ago than
/// <c>bidirectional.redispatch_after_seconds</c> and still not pushed (a runner died, no tenant slot was free, the vendor
/// asked to wait until <c>retryAt</c>) are sent to the runners again.
/// </summary>
public sealed class OutboundSweep(
    FleetTimer timer, SyncRecordRepository records, IEventPublisher publisher, IOptions<BidirectionalOptions> options, TimeProvider time,
    ILogger<OutboundSweep> logger) : FleetTimerService(timer, time, logger)
{
    private const int Batch = 500;

    protected override string TimerName => "runner-outbound-sweep";

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.SweepIntervalSeconds);

    protected override async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var stalled = await records.StalledAsync(IsoTime.Format(now.AddSeconds(-options.Value.RedispatchAfterSeconds)), IsoTime.Format(now), Batch, cancellationToken);
        await ForEachAsync(stalled, r => r.Id, (record, ct) => publisher.PublishAsync(
            new SyncOutbound(record.ShardId ?? "", record.IntegrationId, record.ExternalId, record.ShardTypeId, record.Pending!.LastChangedAt, record.Id, record.EntityType),
            record.TenantId, cancellationToken: ct), cancellationToken);
    }
}
