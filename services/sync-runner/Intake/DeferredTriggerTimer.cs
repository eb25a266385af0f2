using IntegrationSync.Shared.Leases;
using IntegrationSync.SyncRunner.Execution;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Intake;

/// <summary>Once per fleet every <c>runner.deferred_check_seconds</c>: deferred triggers whose window has closed go through intake again.</summary>
public sealed class DeferredTriggerTimer(
    FleetTimer timer, DeferredTriggers deferred, TaskIntake intake, IOptions<RunnerOptions> options, TimeProvider time,
    ILogger<DeferredTriggerTimer> logger) : BackgroundService
{
    public const string TimerName = "runner-deferred-triggers";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.DeferredCheckSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = interval;
            try
            {
                (var fired, wait) = await timer.TryFireAsync(TimerName, interval, stoppingToken);
                if (fired)
                {
                    await ReleaseDueAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Releasing deferred triggers failed");
            }
            await Task.Delay(wait, time, stoppingToken);
        }
    }

    private async Task ReleaseDueAsync(CancellationToken cancellationToken)
    {
        foreach (var trigger in await deferred.FindDueAsync(time.GetUtcNow(), cancellationToken))
        {
            // The trigger's identity is the deferral itself (id and due time), so re-running this is idempotent.
            var created = await intake.CreateAsync(trigger.TenantId, $"{trigger.Id}@{trigger.DueAt}", trigger.IntegrationId,
                trigger.EntityType, trigger.Filters, trigger.RequestedBy, cancellationToken);
            if (created)
            {
                await deferred.TryRemoveAsync(trigger, cancellationToken);
            }
        }
    }
}
