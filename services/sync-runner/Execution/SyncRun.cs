using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.SyncRunner.Outbound;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncRunner.Publishing;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>
/// One run of an execution this runner owns, from its integration to <c>processing</c>: an inbound pull, an outbound push of
/// pending Castiel changes (<see cref="OutboundRun"/>), or a pull then a push (bidirectional). It stops between pages on a
/// cancel or pause; hands the execution back at its checkpoint on shutdown or when the broker or Cosmos stays out of
/// reach; stops without a word when its lease is lost; and fails only for what trying again will not fix.
/// </summary>
public sealed class SyncRun(
    RunLifecycle lifecycle, RunLeases leases, RunSource source, RecordPump pump, OutboundRun outbound, SyncTaskRepository tasks, FleetMetrics metrics,
    IOptions<RunnerOptions> options, TimeProvider time, ILogger<SyncRun> logger)
{
    /// <param name="handover">Asks the run to stop at its next page and hand the execution over (this runner shuts down).</param>
    /// <param name="stopping">Stops the run at once (a shutdown past its grace, or with none).</param>
    public async Task RunAsync(OwnedExecution owned, RunContext run, CancellationToken handover, CancellationToken stopping)
    {
        using var activity = MessagingTelemetry.StartExecutionStep(RunnerTelemetry.Source, "sync.run", owned.Execution.TraceParent, owned.ExecutionId);
        activity?.SetTag("integration_sync.attempt", owned.Execution.Attempt);
        await using var lease = leases.Hold(owned);
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stopping, lease.Lost);
        try
        {
            var (integration, adapter, connection) = await source.OpenAsync(run, running.Token);
            run = run with { ProviderName = integration.ProviderName };
            if (owned.Generation == 1)
            {
                metrics.SyncStarted(adapter.Descriptor.Name, run.Direction, run.Trigger, owned.TenantId);
            }
            var control = new RunControl(ct => tasks.ReadAsync(owned.TenantId, owned.TaskId, ct), time, handover);
            var execution = owned.Execution;
            var tally = new OutboundTally(execution.RecordsPushed, execution.Conflicts, execution.EchoesSkipped);
            if (OutboundRun.Pushes(run))
            {
                outbound.Check(run, integration);
            }
            var outcome = run.Direction == SyncDirection.Outbound
                ? RunOutcome.Unread(execution)
                : await pump.PumpAsync(owned, run, adapter, connection, control, tally, running.Token);
            if (OutboundRun.Pushes(run))
            {
                await outbound.PushPendingAsync(owned, run, integration, adapter, connection, control, tally, running.Token);
            }
            await lifecycle.MarkProcessingAsync(owned, run, outcome, running.Token);
        }
        catch (Exception e)
        {
            await EndAsync(owned, e, lease, stopping);
        }
    }

    private async Task EndAsync(OwnedExecution owned, Exception e, RunLease lease, CancellationToken stopping)
    {
        try
        {
            switch (e)
            {
                case LeaseLostException:
                case OperationCanceledException when lease.IsLost:
                    return;
                case SyncStopRequestedException { Stop: RunStop.Pause }:
                    await lifecycle.PauseAsync(owned, CancellationToken.None);
                    return;
                case SyncStopRequestedException { Stop: RunStop.Cancel }:
                    logger.LogInformation("Execution {ExecutionId} cancelled", owned.ExecutionId);
                    await lifecycle.CancelAsync(owned, CancellationToken.None);
                    return;
                case SyncStopRequestedException:
                    await ReleaseAsync(owned);
                    return;
                case OperationCanceledException when stopping.IsCancellationRequested:
                    if (options.Value.ShutdownGraceSeconds > 0)
                    {
                        await ReleaseAsync(owned);
                    }
                    return;
                case not null when RunErrors.IsOutage(e):
                    logger.LogWarning("Execution {ExecutionId} stops for an infrastructure outage: {Reason}", owned.ExecutionId, e.Message);
                    await ReleaseAsync(owned);
                    return;
                default:
                    var (code, message) = RunErrors.Classify(e!);
                    logger.LogError(e, "Sync task {TaskId} execution {ExecutionId} failed ({Code})", owned.TaskId, owned.ExecutionId, code);
                    await lifecycle.FailAsync(owned, code, message, CancellationToken.None);
                    return;
            }
        }
        catch (Exception ending)
        {
            logger.LogError(ending, "Execution {ExecutionId} could not record how its run ended; the reaper takes it over once its lease lapses",
                owned.ExecutionId);
        }
    }

    private Task ReleaseAsync(OwnedExecution owned)
    {
        RunnerTelemetry.RunsReleased.Add(1);
        return lifecycle.ReleaseAsync(owned, CancellationToken.None);
    }
}
