using IntegrationSync.Shared.Leases;
using IntegrationSync.SyncRunner.Execution;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Intake;

/// <summary>Once per fleet every <c>runner.deferred_check_seconds</c>: deferred triggers whose window has closed go through intake again.</summary>
public sealed class DeferredTriggerTimer(
    FleetTimer timer, DeferredTriggers deferred, TaskIntake intake, IOptions<RunnerOptions> options, TimeProvider time,
    ILogger<DeferredTriggerTimer> logger) : FleetTimerService(timer, time, logger)
{
    protected override string TimerName => "runner-deferred-triggers";

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.DeferredCheckSeconds);

    protected override Task TickAsync(CancellationToken cancellationToken) => ReleaseDueAsync(cancellationToken);

    private async Task ReleaseDueAsync(CancellationToken cancellationToken)
    {
        await ForEachAsync(await deferred.FindDueAsync(Time.GetUtcNow(), cancellationToken), t => t.Id, async (trigger, ct) =>
        {
            // The trigger's identity is the deferral itself (id and due time), so re-running this is idempotent.
            var created = await intake.CreateAsync(trigger.TenantId, $"{trigger.Id}@{trigger.DueAt}", trigger.IntegrationId,
                trigger.EntityType, trigger.Filters, trigger.RequestedBy, ct);
            if (created)
            {
                await deferred.TryRemoveAsync(trigger, ct);
            }
        }, cancellationToken);
    }
}
