using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Execution;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>
/// Pushes one record's pending Castiel change (ARCHITECTURE.md §6): reads the shard; skips it when its mapped fields are
/// what was last synced (an echo); reads the vendor record; compares both with the base; decides by the integration's
/// strategy; and carries the decision out (<see cref="PushApplier"/>). A record without a vendor id yet is created there.
/// Failures keep the change: a transient one (unavailable, rate limited, quota) is tried again later, after the vendor's
/// <c>Retry-After</c> when it sent one (no push of the record starts before then); a 401 once after a credential refresh;
/// anything else at most <c>bidirectional.max_attempts</c> times, then the change is marked failed. Done twice, a push does
/// nothing the second time: it works from the record's state and the vendor's current values.
/// </summary>
public sealed class OutboundPush(
    SyncRecordRepository records, RecordSides sides, PushApplier applier, RecordCreation creation, RecordStates states, RecordLocks locks,
    CredentialRefresh credentials, FleetMetrics metrics, IOptions<BidirectionalOptions> options, TimeProvider time, ILogger<OutboundPush> logger)
{
    /// <param name="coalesce">
    /// A burst of shard updates is pushed once: a change younger than <c>bidirectional.coalesce_ms</c> is not pushed yet
    /// (<see cref="PushOutcome.Deferred"/>, with the time left) so the push takes the burst's last state.
    /// </param>
    public async Task<PushResult> PushAsync(OutboundTarget target, string recordId, CancellationToken cancellationToken, bool coalesce = true)
    {
        using var held = await locks.HoldAsync(recordId, cancellationToken);
        var record = await records.ReadAsync(target.TenantId, recordId, cancellationToken);
        if (record?.Pending is null || record.Pending.FailedAt is not null)
        {
            return new PushResult(PushOutcome.Nothing);
        }
        var now = time.GetUtcNow();
        var settle = IsoTime.Parse(record.Pending.LastChangedAt) + TimeSpan.FromMilliseconds(options.Value.CoalesceMs) - now;
        if (coalesce && settle > TimeSpan.Zero)
        {
            return new PushResult(PushOutcome.Deferred) { Wait = settle.Value };
        }
        // The vendor (or a failure's backoff) asked to wait: whoever asks for the push before then is told when to come back.
        if (IsoTime.Parse(record.Pending.RetryAt) - now is { } retryIn && retryIn > TimeSpan.Zero)
        {
            return new PushResult(PushOutcome.Deferred) { Wait = retryIn };
        }
        if (record.OpenConflictId is not null)
        {
            return new PushResult(PushOutcome.Waiting);
        }
        PushResult result;
        try
        {
            result = await PushOnceAsync(target, record, cancellationToken);
        }
        catch (AdapterException e) when (e.Kind == AdapterErrorKind.AuthExpired)
        {
            var refreshed = target.With(await credentials.RefreshAsync(target.TenantId, target.Integration, target.Connection, cancellationToken));
            result = await RetryOrFailAsync(record, () => PushOnceAsync(refreshed, record, cancellationToken), cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsFailure(e))
        {
            result = await FailAsync(record, e, cancellationToken);
        }
        metrics.OutboundPush(target.AdapterName, result.Metric);
        return result;
    }

    private async Task<PushResult> PushOnceAsync(OutboundTarget target, SyncRecordDocument record, CancellationToken cancellationToken)
    {
        var local = await sides.ReadLocalAsync(target, record, cancellationToken);
        // The shard alone tells an echo: an update that brought nothing new costs no vendor call.
        if (!local.Side.Deleted && record.ExternalId is not null && record.Deleted is null && record.BaseHash == CanonicalJson.Hash(local.Side.Values))
        {
            await states.SaveAsync(record, r => r with { LastError = null }, clearPending: true, cancellationToken);
            return new PushResult(PushOutcome.Echo);
        }
        var context = await sides.ReadAsync(target, record, local, cancellationToken);
        if (record.ExternalId is null)
        {
            if (local.Side.Deleted)
            {
                await states.SaveAsync(record, r => r with { Deleted = new Tombstone(Tombstone.Castiel, states.Now()) }, clearPending: true, cancellationToken);
                return new PushResult(PushOutcome.InSync);
            }
            await creation.CreateAsync(context, local.Side.Values!, replaced: null, cancellationToken);
            return new PushResult(PushOutcome.Created);
        }
        var decision = ConflictStrategy.Decide(context.Comparison, target.WriteBack.Strategy, options.Value.MergeFallback);
        if (decision.Conflict && decision.Verdict != Verdict.Manual)
        {
            // Settled by the strategy; a conflict left to a person is counted where it is stored.
            metrics.ConflictDetected(target.AdapterName, target.WriteBack.Strategy);
            metrics.ConflictResolved(target.AdapterName, target.WriteBack.Strategy);
            logger.LogInformation("Record {RecordId} of integration {IntegrationId} changed on both sides; {Strategy} decides: {Verdict} ({Winner})",
                record.Id, target.Integration.Id, target.WriteBack.Strategy, decision.Verdict, decision.Winner);
        }
        return await applier.ApplyAsync(context, decision, cancellationToken);
    }

    private async Task<PushResult> RetryOrFailAsync(SyncRecordDocument record, Func<Task<PushResult>> push, CancellationToken cancellationToken)
    {
        try
        {
            return await push();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsFailure(e))
        {
            return await FailAsync(record, e, cancellationToken);
        }
    }

    private async Task<PushResult> FailAsync(SyncRecordDocument record, Exception e, CancellationToken cancellationToken)
    {
        var transient = e is AdapterException { Kind: AdapterErrorKind.Transient or AdapterErrorKind.RateLimited or AdapterErrorKind.QuotaExhausted }
            or PeerCallException { IsTransient: true } or HttpRequestException or TimeoutRejectedException or BrokenCircuitException;
        var attempt = (record.Pending?.Attempts ?? 0) + 1;
        var wait = (e as AdapterException)?.RetryAfter ?? TimeSpan.FromSeconds(Math.Min(300, 5 * Math.Pow(2, attempt)));
        var saved = await states.FailedAsync(record, e.Message, time.GetUtcNow() + wait, countAttempt: !transient, options.Value.MaxAttempts, cancellationToken);
        logger.LogWarning("Push of record {RecordId} failed (attempt {Attempt}{Final}): {Reason}", record.Id, attempt,
            saved.Pending?.FailedAt is null ? "" : ", giving up", e.Message);
        return saved.Pending?.FailedAt is null ? new PushResult(PushOutcome.Retry) { Wait = wait } : new PushResult(PushOutcome.Failed);
    }

    private static bool IsFailure(Exception e) =>
        e is AdapterException or PeerCallException or HttpRequestException or TimeoutRejectedException or BrokenCircuitException or SyncFailure;
}
