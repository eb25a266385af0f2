using System.Runtime.CompilerServices;
using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters.Salesforce;

/// <summary>
/// The part of a read that goes through one Bulk API 2.0 query job, in the REST read's order (<c>ORDER BY SystemModstamp, Id</c>),
/// so its position is the last record read, as in REST. The job is in the cursor from its creation on: a read that fails
/// or a run that dies resumes the same job at the locator it reached; a job Salesforce no longer has is replaced by a new
/// one from that position. Result sets are sized to fit <c>adapter_http.max_response_bytes</c> (<see cref="PageSizer"/>).
/// </summary>
internal sealed class SalesforceBulkRead(AdapterHttp http, SalesforceBulkQuery jobs)
{
    /// <summary>
    /// Whether a job reads <paramref name="remaining"/> records in fewer calls than REST batches of <paramref name="batch"/>:
    /// a describe unless known, the job's creation and a look at it, and result sets of rows about <paramref name="rowBytes"/>
    /// each (a REST record's JSON, which its CSV row never outweighs).
    /// </summary>
    public bool TakesFewerCalls(int remaining, int batch, double rowBytes, bool described)
    {
        var perSet = Math.Clamp(http.Options.MaxResponseBytes * 0.8 / Math.Max(1, rowBytes), 1, Math.Max(1, http.MaxPageSize));
        var job = (described ? 0 : 1) + 2 + (int)Math.Ceiling(remaining / perSet);
        return job < (int)Math.Ceiling(remaining / (double)batch);
    }

    /// <param name="rowBytes">About the bytes of one CSV row, until a results page tells.</param>
    public async IAsyncEnumerable<RecordPage> ReadAsync(SalesforceApi api, BulkPlan plan, SalesforceCursor from, ReadBudget budget, ReadMeter meter,
        int rowBytes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var position = from;
        var sizer = new PageSizer(http.MaxPageSize, http.Options.MaxResponseBytes);
        sizer.Observe(rowBytes, 1);
        while (true)
        {
            if (position.Job is null)
            {
                var operation = position.Full ? "query" : "queryAll";
                var id = await jobs.CreateAsync(api, operation, api.Soql(plan.Columns, position), meter, cancellationToken);
                position = position with { Job = new BulkJobPosition(operation, id, "") };
                yield return new RecordPage([], position.Encode(), position.Watermark());
            }
            var job = position.Job!;
            // Results were read from it already: it is complete.
            if (job.Locator.Length == 0 && !await jobs.WaitAsync(api, job.JobId, meter, cancellationToken))
            {
                position = position.Outside();
                continue;
            }
            // A locator can be read again: a set too large is asked for in fewer rows.
            var results = await sizer.FitAsync(budget, size => jobs.ResultsAsync(api, job.JobId, job.Locator, size, meter, cancellationToken));
            if (results is null)
            {
                position = position.Outside();
                continue;
            }
            var rows = results.Rows.Skip(1).Select(row => plan.ToRecord(results.Rows[0], row)).ToList();
            position = (rows.Count > 0 ? position.After(rows[^1]) : null) ?? position;
            position = position with { Job = results.NextLocator is null ? null : job with { Locator = results.NextLocator } };
            var (records, deleted) = SalesforceRecords.Split(api, rows);
            budget.Take(records.Count);
            yield return new RecordPage(records, results.NextLocator is null ? null : position.Encode(), position.Watermark()) { Deleted = deleted };
            if (results.NextLocator is null || budget.Spent)
            {
                yield break;
            }
            sizer.Observe(results.Bytes, results.Rows.Count - 1);
        }
    }
}
