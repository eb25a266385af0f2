using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters.Salesforce;

/// <summary>
/// One Bulk API 2.0 query job: created with its SOQL, waited for (each wait doubles, up to 30 s), then read as CSV pages of
/// at most <c>maxRecords</c> rows, each naming the next in <c>Sforce-Locator</c>. Salesforce keeps a job's results for
/// days; a job it no longer has (404) is reported as gone, and the read starts a fresh one from its last record.
/// </summary>
internal sealed class SalesforceBulkQuery(AdapterHttp http, TimeProvider time)
{
    private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(30);

    public async Task<string> CreateAsync(SalesforceApi api, string operation, string soql, ReadMeter meter, CancellationToken cancellationToken)
    {
        using var request = meter.Attach(api.Request(HttpMethod.Post, $"{api.Base}/jobs/query"), "bulk");
        request.Content = JsonContent.Create(new JsonObject
        {
            ["operation"] = operation, ["query"] = soql, ["contentType"] = "CSV", ["columnDelimiter"] = "COMMA", ["lineEnding"] = "LF",
        });
        // Creating twice only leaves an unused job behind, which Salesforce deletes on its own.
        var job = await http.SendForJsonAsync(request, cancellationToken);
        return RecordIdentity.Text(job?["id"]) ?? throw new AdapterException(AdapterErrorKind.Permanent, "salesforce: the query job response has no id");
    }

    /// <summary>True once the job is complete; false when Salesforce no longer has it.</summary>
    public async Task<bool> WaitAsync(SalesforceApi api, string jobId, ReadMeter meter, CancellationToken cancellationToken)
    {
        var options = http.Options;
        var wait = TimeSpan.FromMilliseconds(options.SalesforceBulkPollMs);
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(options.SalesforceBulkMaxWaitSeconds);
        while (true)
        {
            // A job is never complete the moment it is created: the first look waits too.
            await Task.Delay(wait, time, cancellationToken);
            using var request = meter.Attach(api.Request(HttpMethod.Get, $"{api.Base}/jobs/query/{jobId}"), "bulk");
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
            await http.EnsureSuccessAsync(response, cancellationToken);
            var job = await http.ReadJsonAsync(response, cancellationToken);
            switch (RecordIdentity.Text(job?["state"]))
            {
                case "JobComplete":
                    return true;
                case var state when state is "Failed" or "Aborted":
                    throw new AdapterException(AdapterErrorKind.Permanent,
                        $"salesforce: query job {jobId} ended {state}: {VendorError.Sanitize(RecordIdentity.Text(job?["errorMessage"])) ?? "no reason given"}");
            }
            if (time.GetUtcNow() > deadline)
            {
                throw new AdapterException(AdapterErrorKind.Transient,
                    $"salesforce: query job {jobId} is not complete after {options.SalesforceBulkMaxWaitSeconds} s (adapter_http.salesforce_bulk_max_wait_seconds); the read continues with it later");
            }
            wait = wait * 2 < LongestPoll ? wait * 2 : LongestPoll;
        }
    }

    /// <summary>One page of the job's results, of at most <paramref name="maxRecords"/> rows; null when Salesforce no longer has the job.</summary>
    public async Task<BulkResultPage?> ResultsAsync(
        SalesforceApi api, string jobId, string locator, int maxRecords, ReadMeter meter, CancellationToken cancellationToken)
    {
        var query = $"maxRecords={maxRecords.ToString(CultureInfo.InvariantCulture)}" + (locator.Length > 0 ? $"&locator={Uri.EscapeDataString(locator)}" : "");
        using var request = meter.Attach(api.Request(HttpMethod.Get, $"{api.Base}/jobs/query/{jobId}/results?{query}"), "bulk");
        request.Headers.Accept.Clear();
        request.Headers.Accept.ParseAdd("text/csv");
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await http.EnsureSuccessAsync(response, cancellationToken);
        var csv = await response.Content.ReadAsStringAsync(cancellationToken);
        var rows = BulkCsv.Parse(csv);
        if (Header(response, "Sforce-NumberOfRecords") is { } count && int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var expected)
            && expected != Math.Max(0, rows.Count - 1))
        {
            throw new AdapterException(AdapterErrorKind.Transient,
                $"salesforce: a results page of query job {jobId} holds {Math.Max(0, rows.Count - 1)} rows where Sforce-NumberOfRecords says {expected} (truncated response)");
        }
        // The last page's locator is the text "null".
        var next = Header(response, "Sforce-Locator");
        return new BulkResultPage(rows, next is null or "" or "null" ? null : next, System.Text.Encoding.UTF8.GetByteCount(csv));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

/// <summary>Rows of one results page (the first is the header), the locator of the next (null: the last page) and the page's size.</summary>
internal sealed record BulkResultPage(List<string[]> Rows, string? NextLocator, int Bytes);
