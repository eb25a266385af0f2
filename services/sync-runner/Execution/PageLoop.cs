using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.Http;
using IntegrationSync.SyncRunner.Publishing;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>
/// Reads an adapter's pages from a cursor up to the record limit, one page ahead of the caller. A page whose read failed
/// transiently is read again after a wait (<see cref="PageRetry"/>); a 401 is answered once with fresh credentials;
/// the limit, a spent vendor quota or a <c>Retry-After</c> longer than a run waits end the run early
/// (<see cref="Truncation"/>), to be continued by the next run from its cursor.
/// </summary>
public sealed class PageLoop(ISyncAdapter adapter, RunContext run, int limit, PageRetry retry, CredentialRefresh credentials, ILogger logger)
{
    private const int ReadAheadPages = 1;

    /// <summary><c>record_limit</c>, <c>quota_exhausted</c> or <c>retry_after</c> once the loop ended early; null after the last page.</summary>
    public string? Truncation { get; private set; }

    /// <summary>The position after the page last handed out (its checkpoint), where a failed read starts again.</summary>
    public string? Cursor { get; private set; }

    /// <summary>Where the next incremental sync starts, as the adapter last reported it.</summary>
    public string? Watermark { get; private set; }

    /// <summary>The run's vendor calls, across the reads a retry starts again.</summary>
    public ReadMeter Meter { get; } = new();

    /// <param name="read">Records the execution published before this run (a resume counts them against the limit).</param>
    /// <param name="beforeRetryWait">Called before waiting to read a page again, so a runner that dies meanwhile resumes from there.</param>
    public async IAsyncEnumerable<RecordPage> ReadAsync(
        AdapterConnection connection, string? cursor, int read, Func<Task> beforeRetryWait, RunControl control,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Cursor = cursor;
        var refreshed = false;
        while (true)
        {
            AdapterException? failure = null;
            var request = new AdapterReadRequest(connection, run.EntityType, run.Filters, Cursor) { MaxRecords = limit - read, Meter = Meter };
            await using (var pages = adapter.ReadAsync(request, cancellationToken)
                             .ReadAhead(ReadAheadPages, cancellationToken).GetAsyncEnumerator(cancellationToken))
            {
                while (true)
                {
                    try
                    {
                        if (!await pages.MoveNextAsync())
                        {
                            break;
                        }
                    }
                    catch (AdapterException e)
                    {
                        failure = e;
                        break;
                    }
                    var page = pages.Current;
                    var (records, next) = (page.Records, page.NextCursor);
                    if (read + records.Count >= limit)
                    {
                        Truncation = read + records.Count > limit || page.NextCursor is not null ? "record_limit" : null;
                        if (read + records.Count > limit)
                        {
                            // Cut inside a page: the next run reads this page again (at-least-once for its first records).
                            records = records.Take(limit - read).ToList();
                            next = Cursor;
                        }
                    }
                    read += records.Count;
                    Watermark = page.Watermark ?? Watermark;
                    Cursor = next;
                    yield return page with { Records = records, NextCursor = next };
                    if (read >= limit)
                    {
                        yield break;
                    }
                }
            }
            if (failure is null)
            {
                yield break;
            }
            switch (failure.Kind)
            {
                case AdapterErrorKind.QuotaExhausted:
                    logger.LogWarning("Execution {ExecutionId} ends early: {Reason}", run.ExecutionId, failure.Message);
                    Truncation = "quota_exhausted";
                    yield break;
                case AdapterErrorKind.RateLimited or AdapterErrorKind.Transient when retry.Next(failure, Cursor) is { } wait:
                    logger.LogWarning("Execution {ExecutionId} reads the page again in {Wait}: {Reason}", run.ExecutionId, wait, failure.Message);
                    await beforeRetryWait();
                    await control.WaitAsync(wait, cancellationToken);
                    break;
                case AdapterErrorKind.RateLimited or AdapterErrorKind.Transient:
                    logger.LogWarning("Execution {ExecutionId} ends early: the vendor asks to wait {RetryAfter}. {Reason}",
                        run.ExecutionId, failure.RetryAfter, failure.Message);
                    Truncation = "retry_after";
                    yield break;
                case AdapterErrorKind.AuthExpired when !refreshed:
                    // One refresh, then one more try from the last page read.
                    refreshed = true;
                    connection = await credentials.RefreshAsync(run.TenantId, connection.Integration, connection, cancellationToken);
                    break;
                case AdapterErrorKind.AuthExpired:
                    // The adapter's own advice (refresh the token) was already followed: only a new authorisation helps now.
                    throw new AdapterException(AdapterErrorKind.AuthExpired,
                        $"The credentials of integration {run.IntegrationId} were rejected again after a token refresh; reconnect the integration. {failure.Message}",
                        inner: failure);
                default:
                    ExceptionDispatchInfo.Throw(failure);
                    break;
            }
        }
    }
}
