using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.SyncRunner.Execution;
using IntegrationSync.SyncRunner.Slots;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>
/// Runs the pushes asked for by <c>integration.sync.outbound</c>, one lane per integration in this runner. A lane holds one
/// of its tenant's concurrency slots while it works (the same slots syncs hold, in the same FIFO as waiting syncs), pushes
/// <c>bidirectional.push_concurrency</c> records at once, renews the slot lease like a run's heartbeat, and gives the slot
/// back once idle. A lane that gets no slot within <c>bidirectional.slot_wait_seconds</c>, or cannot open its integration,
/// leaves its records pending: the sweep sends them again.
/// </summary>
public sealed class OutboundLanes(
    IServiceScopeFactory scopes, TenantSlots slots, WaitingWork waiting, ServiceIdentity identity, IOptions<BidirectionalOptions> options,
    IOptions<RunnerOptions> runner, TimeProvider time, ILogger<OutboundLanes> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan SlotPoll = TimeSpan.FromMilliseconds(250);
    private readonly Lock _gate = new();
    private readonly Dictionary<(string, string), PushLane> _lanes = [];
    private readonly List<Task> _running = [];
    private readonly CancellationTokenSource _stopping = new();

    public void Enqueue(string tenantId, string integrationId, string recordId)
    {
        lock (_gate)
        {
            if (_lanes.TryGetValue((tenantId, integrationId), out var lane) && lane.TryAdd(recordId))
            {
                return;
            }
            lane = new PushLane(tenantId, integrationId, TimeSpan.FromMilliseconds(options.Value.LaneIdleMs));
            lane.TryAdd(recordId);
            _lanes[(tenantId, integrationId)] = lane;
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(Task.Run(() => RunAsync(lane), CancellationToken.None));
        }
    }

    private async Task RunAsync(PushLane lane)
    {
        var holder = $"outbound:{lane.IntegrationId}:{identity.Instance}";
        var stopping = _stopping.Token;
        try
        {
            if (!await AcquireAsync(lane.TenantId, holder, stopping))
            {
                logger.LogInformation("No free slot of tenant {TenantId} for pushes of integration {IntegrationId}; {Count} records wait for the sweep",
                    lane.TenantId, lane.IntegrationId, lane.Close().Count);
                await slots.RemoveWaitingAsync(lane.TenantId, holder, CancellationToken.None);
                return;
            }
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var target = await scope.ServiceProvider.GetRequiredService<OutboundTargets>().OpenAsync(lane.TenantId, lane.IntegrationId, stopping);
                var push = scope.ServiceProvider.GetRequiredService<OutboundPush>();
                using var renewing = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                var renewal = RenewAsync(lane.TenantId, holder, renewing.Token);
                await Task.WhenAll(Enumerable.Range(0, options.Value.PushConcurrency).Select(_ => WorkAsync(lane, target, push, stopping)));
                await renewing.CancelAsync();
                await renewal;
            }
            finally
            {
                await waiting.ReleaseAsync(lane.TenantId, holder, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            logger.LogWarning("Pushes of integration {IntegrationId} stopped ({Reason}); {Count} records wait for the sweep",
                lane.IntegrationId, e.Message, lane.Close().Count);
        }
        finally
        {
            lane.Close();
        }
    }

    private async Task WorkAsync(PushLane lane, OutboundTarget target, OutboundPush push, CancellationToken cancellationToken)
    {
        while (await lane.TakeAsync(cancellationToken) is { } recordId)
        {
            var result = await push.PushAsync(target, recordId, cancellationToken);
            if (result.Outcome is PushOutcome.Deferred or PushOutcome.Retry)
            {
                // The worker goes on with other records; the deferred one comes back when its burst has settled or its retry is due.
                _ = Task.Delay(result.Wait, time, cancellationToken).ContinueWith(
                    _ => Requeue(lane, recordId), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            }
            else if (result.Again)
            {
                Requeue(lane, recordId);
            }
        }
    }

    private void Requeue(PushLane lane, string recordId)
    {
        if (!lane.TryAdd(recordId))
        {
            Enqueue(lane.TenantId, lane.IntegrationId, recordId);
        }
    }

    private async Task<bool> AcquireAsync(string tenantId, string holder, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow().AddSeconds(options.Value.SlotWaitSeconds);
        while (!await slots.TryAcquireAsync(tenantId, holder, holder, runner.Value.Lease, force: false, cancellationToken))
        {
            if (time.GetUtcNow() >= deadline)
            {
                return false;
            }
            await Task.Delay(SlotPoll, time, cancellationToken);
        }
        return true;
    }

    private async Task RenewAsync(string tenantId, string holder, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(runner.Value.Heartbeat, time, cancellationToken);
                await slots.RenewAsync(tenantId, holder, runner.Value.Lease, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The next heartbeat tries again; a lease that lapses frees the slot, which costs fairness, not correctness.
                logger.LogWarning("Slot lease of {Holder} not renewed: {Reason}", holder, e.Message);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        Task[] running;
        lock (_gate)
        {
            running = [.. _running];
        }
        await Task.WhenAll(running).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public void Dispose() => _stopping.Dispose();
}
