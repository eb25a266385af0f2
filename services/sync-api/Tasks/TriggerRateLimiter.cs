using System.Net;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Storage;
using IntegrationSync.SyncApi.Errors;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncApi.Tasks;

/// <summary>
/// <c>api.trigger_rate_per_minute</c> per tenant, shared by every API replica: a token bucket in one Cosmos document per
/// tenant, taken from under its ETag, so two replicas never spend the same token. A bucket holds a minute's worth of
/// triggers and refills evenly. Within a replica a tenant's takers queue on a lock stripe, so only replicas race for
/// the document: 32 concurrent triggers of one tenant lost more than 50 ETag races in a row without it.
/// </summary>
public sealed class TriggerRateLimiter(CosmosContainers containers, IOptions<ApiOptions> options, TimeProvider time)
    : CosmosRepository<TriggerRateDocument>(containers.Leases, containers.Kind(TriggerRateDocument.DocType))
{
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>Null when the tenant may trigger now (a token is spent); otherwise how long until the next token.</summary>
    public Task<TimeSpan?> TryTakeAsync(string tenantId, CancellationToken cancellationToken) =>
        TryTakeAsync(tenantId, TriggerRateDocument.BucketId, options.Value.TriggerRatePerMinute, cancellationToken);

    /// <summary>The same for another bucket of the tenant's (e.g. one integration's inbound notifications), <paramref name="capacity"/> per minute.</summary>
    public async Task<TimeSpan?> TryTakeAsync(string tenantId, string bucketId, int capacity, CancellationToken cancellationToken)
    {
        if (capacity == 0)
        {
            return null;
        }
        var stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(tenantId) % _stripes.Length];
        await stripe.WaitAsync(cancellationToken);
        try
        {
            return await TakeAsync(tenantId, bucketId, capacity, cancellationToken);
        }
        finally
        {
            stripe.Release();
        }
    }

    private async Task<TimeSpan?> TakeAsync(string tenantId, string bucketId, int capacity, CancellationToken cancellationToken)
    {
        var perSecond = capacity / 60.0;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var found = false;
            TimeSpan? wait = null;
            await UpdateAsync(tenantId, bucketId, bucket =>
            {
                found = true;
                var now = time.GetUtcNow();
                var elapsed = Math.Max(0, (now - (IsoTime.Parse(bucket.RefilledAt) ?? now)).TotalSeconds);
                var tokens = Math.Min(capacity, bucket.Tokens + elapsed * perSecond);
                wait = tokens >= 1 ? null : TimeSpan.FromSeconds((1 - tokens) / perSecond);
                return wait is null ? bucket with { Tokens = tokens - 1, RefilledAt = IsoTime.Format(now) } : null;
            }, cancellationToken);
            if (found)
            {
                return wait;
            }
            try
            {
                await CreateAsync(new TriggerRateDocument
                {
                    Id = bucketId, TenantId = tenantId, Tokens = capacity - 1, RefilledAt = IsoTime.Format(time.GetUtcNow()),
                }, cancellationToken);
                return null;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                // A concurrent trigger created the bucket: take from it.
            }
        }
        throw new InvalidOperationException($"Could not take a trigger token for tenant {tenantId}: its bucket kept changing.");
    }
}
