using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Leases;
using IntegrationSync.Shared.Messaging;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Scheduling;

/// <summary>
/// On start and every <c>sync_scheduler.interval_ms</c>, once per fleet, asks integration-manager which integrations
/// are due (<c>integration.sync.check_due</c>); it answers with <c>integration.sync.scheduled</c> per integration.
/// </summary>
public sealed class CheckDueTimer(
    FleetTimer timer, IEventPublisher publisher, IOptions<SyncSchedulerOptions> options, TimeProvider time, ILogger<CheckDueTimer> logger)
    : FleetTimerService(timer, time, logger)
{
    protected override string TimerName => "sync-check-due";

    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(options.Value.IntervalMs);

    protected override bool Enabled => options.Value.Enabled;

    protected override Task TickAsync(CancellationToken cancellationToken) =>
        publisher.PublishAsync(new SyncCheckDue(IsoTime.Format(Time.GetUtcNow())), tenantId: "", cancellationToken: cancellationToken);
}
