using System.Collections.Concurrent;
using IntegrationSync.Shared.Webhooks;
using Microsoft.Extensions.Options;

namespace IntegrationSync.EventConsumer.Webhooks;

/// <summary>
/// Runs a replica's delivery attempts without letting one endpoint hold up another: each registration has its own lane
/// (at most <c>max_concurrent_per_endpoint</c> attempts, <c>max_queued_per_endpoint</c> waiting), and an attempt also
/// takes a slot of its tenant (<c>max_concurrent_per_tenant</c>) and of the replica (<c>max_concurrent</c>), narrowest
/// first, so a lane waiting for its tenant holds nothing the other tenants need. What does not fit stays in Cosmos,
/// pending, for a poll when there is room; nothing is lost by being refused here.
/// </summary>
public sealed class DeliveryDispatcher : IHostedService, IDisposable
{
    private readonly DeliveryAttempt _attempt;
    private readonly WebhookDeliveryOptions _options;
    private readonly ILogger<DeliveryDispatcher> _logger;
    private readonly object _gate = new();
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _tenants = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _replica;
    private readonly CancellationTokenSource _stopping = new();
    private int _running;

    public DeliveryDispatcher(DeliveryAttempt attempt, IOptions<WebhookOptions> options, ILogger<DeliveryDispatcher> logger)
    {
        _attempt = attempt;
        _options = options.Value.Delivery;
        _logger = logger;
        _replica = new SemaphoreSlim(_options.MaxConcurrent, _options.MaxConcurrent);
    }

    /// <summary>How many more deliveries this replica would take now.</summary>
    public int Room
    {
        get
        {
            lock (_gate)
            {
                return Math.Max(0, _options.MaxQueued - _held.Count);
            }
        }
    }

    /// <summary>Registrations with deliveries waiting in their lane here: a poll need not fetch more of theirs.</summary>
    public IReadOnlyCollection<string> BusyEndpoints
    {
        get
        {
            lock (_gate)
            {
                return _lanes.Values.Where(l => l.Waiting.Count > 0).Select(l => l.WebhookId).Distinct().ToList();
            }
        }
    }

    /// <summary>Whether a delivery for this registration would be taken now (the fan-out claims only what it can keep).</summary>
    public bool HasRoom(string tenantId, string webhookId)
    {
        lock (_gate)
        {
            return !_stopping.IsCancellationRequested && _held.Count < _options.MaxQueued
                && (!_lanes.TryGetValue(LaneKey(tenantId, webhookId), out var lane) || lane.Waiting.Count < _options.MaxQueuedPerEndpoint);
        }
    }

    /// <summary>False when the delivery is already here, its lane or the replica is full, or the host is stopping.</summary>
    public bool TryEnqueue(DeliveryWork work)
    {
        var delivery = work.Delivery;
        Lane lane;
        bool startWorker;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested || _held.Count >= _options.MaxQueued || _held.Contains(delivery.Id))
            {
                return false;
            }
            var key = LaneKey(delivery.TenantId, delivery.WebhookId);
            if (!_lanes.TryGetValue(key, out lane!))
            {
                lane = new Lane(key, delivery.WebhookId);
                _lanes.Add(key, lane);
            }
            if (lane.Waiting.Count >= _options.MaxQueuedPerEndpoint)
            {
                return false;
            }
            _held.Add(delivery.Id);
            lane.Waiting.Enqueue(work);
            startWorker = lane.Workers < _options.MaxConcurrentPerEndpoint;
            if (startWorker)
            {
                lane.Workers++;
                _running++;
            }
        }
        if (startWorker)
        {
            _ = Task.Run(() => DrainAsync(lane));
        }
        return true;
    }

    private async Task DrainAsync(Lane lane)
    {
        while (true)
        {
            DeliveryWork next;
            lock (_gate)
            {
                if (_stopping.IsCancellationRequested || !lane.Waiting.TryDequeue(out next!))
                {
                    lane.Workers--;
                    _running--;
                    if (lane.Workers == 0 && lane.Waiting.Count == 0)
                    {
                        _lanes.Remove(lane.Key);
                    }
                    return;
                }
            }
            try
            {
                await RunAsync(next, _stopping.Token);
            }
            finally
            {
                lock (_gate)
                {
                    _held.Remove(next.Delivery.Id);
                }
            }
        }
    }

    private async Task RunAsync(DeliveryWork work, CancellationToken stopping)
    {
        var delivery = work.Delivery;
        var tenant = _tenants.GetOrAdd(delivery.TenantId, _ => new SemaphoreSlim(_options.MaxConcurrentPerTenant, _options.MaxConcurrentPerTenant));
        try
        {
            await tenant.WaitAsync(stopping);
            try
            {
                await _replica.WaitAsync(stopping);
                try
                {
                    await _attempt.RunAsync(work, stopping);
                }
                finally
                {
                    _replica.Release();
                }
            }
            finally
            {
                tenant.Release();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: a claimed delivery falls due again when its claim ends, for this or another replica.
        }
        catch (Exception e)
        {
            _logger.LogWarning("Delivery {DeliveryId} attempt failed before an outcome was stored ({Error}); it is tried again when due",
                delivery.DeliveryId, e.Message);
        }
    }

    private static string LaneKey(string tenantId, string webhookId) => $"{tenantId}\n{webhookId}";

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        while (Volatile.Read(ref _running) > 0 && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(20, CancellationToken.None);
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _replica.Dispose();
    }

    private sealed class Lane(string key, string webhookId)
    {
        public string Key { get; } = key;
        public string WebhookId { get; } = webhookId;
        public Queue<DeliveryWork> Waiting { get; } = new();
        public int Workers { get; set; }
    }
}
