using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IntegrationSync.TestSupport.VendorFakes;

/// <summary>
/// Opportunity's describe, and Bulk API 2.0 query jobs: <c>POST /jobs/query</c> (<c>query</c> or <c>queryAll</c>, CSV; no
/// <c>FIELDS()</c>), the job's state (<c>UploadComplete</c>, <c>InProgress</c>, <c>JobComplete</c>), and its results as
/// CSV sets of at most <c>maxRecords</c> rows, every value quoted, a null empty, dateTimes in Z form, with
/// <c>Sforce-NumberOfRecords</c> and <c>Sforce-Locator</c> (the text <c>null</c> on the last set). A locator can be read
/// again; a job Salesforce no longer has is a 404.
/// </summary>
public sealed partial class FakeSalesforce
{
    /// <summary>Opportunity's fields: <c>FIELDS(STANDARD)</c> is the standard ones; their types are what a bulk CSV lacks.</summary>
    public static readonly IReadOnlyList<DescribedField> Described =
    [
        new("Id", "id"), new("IsDeleted", "boolean"), new("AccountId", "reference"), new("Name", "string"), new("Description", "textarea"),
        new("StageName", "picklist"), new("Amount", "currency"), new("Probability", "percent"), new("CloseDate", "date"), new("Type", "picklist"),
        new("LeadSource", "picklist"), new("IsClosed", "boolean"), new("IsWon", "boolean"), new("ForecastCategoryName", "picklist"),
        new("OwnerId", "reference"), new("CreatedDate", "datetime"), new("LastModifiedDate", "datetime"), new("SystemModstamp", "datetime"),
        new("Region__c", "string", Custom: true),
    ];

    private readonly ConcurrentDictionary<string, BulkJob> _jobs = new();
    private int _resultsRequests;

    /// <summary>The SOQL of every query job created, in order.</summary>
    public ConcurrentQueue<string> JobQueries { get; } = new();

    /// <summary>Looks at a job before it is <c>JobComplete</c> (0: complete at the first look).</summary>
    public int JobPollsUntilComplete { get; set; }

    /// <summary>The n-th results request (from 1) is left unanswered until the client gives up.</summary>
    public int? HangResultsRequest { get; set; }

    public int ResultsRequests => Volatile.Read(ref _resultsRequests);

    /// <summary>Salesforce no longer has the jobs created so far (it deletes them some days after they end).</summary>
    public void ForgetJobs() => _jobs.Clear();

    private void MapBulk(WebApplication app, string root)
    {
        app.MapGet(root + "/sobjects/Opportunity/describe", () => Results.Json(new JsonObject
        {
            ["name"] = "Opportunity",
            ["fields"] = new JsonArray(Described.Select(f => (JsonNode?)new JsonObject
            {
                ["name"] = f.Name, ["type"] = f.Type, ["custom"] = f.Custom, ["compoundFieldName"] = null,
            }).ToArray()),
        }));
        app.MapPost(root + "/jobs/query", (JsonObject body) =>
        {
            if (Quota() is { } exhausted)
            {
                return exhausted;
            }
            var operation = (string?)body["operation"];
            var soql = (string?)body["query"] ?? "";
            if (operation is not ("query" or "queryAll") || ((string?)body["contentType"] ?? "CSV") != "CSV")
            {
                return Error(400, "INVALIDJOB", "operation must be query or queryAll, contentType CSV");
            }
            if (soql.Contains("FIELDS(", StringComparison.OrdinalIgnoreCase))
            {
                return Error(400, "INVALIDJOB", "FIELDS() is not supported by Bulk API 2.0");
            }
            if (Select(soql, out var error) is not { } select)
            {
                return error!;
            }
            var id = $"750{Interlocked.Increment(ref _jobCount):D15}";
            JobQueries.Enqueue(soql);
            _jobs[id] = new BulkJob(id, operation, select.Columns, select.Rows(operation == "queryAll"));
            return Results.Json(Job(_jobs[id], "UploadComplete"));
        });
        app.MapGet(root + "/jobs/query/{id}", (string id) =>
        {
            if (!_jobs.TryGetValue(id, out var job))
            {
                return Error(404, "NOT_FOUND", "The requested resource does not exist");
            }
            return Results.Json(Job(job, Interlocked.Increment(ref job.Looks) > JobPollsUntilComplete ? "JobComplete" : "InProgress"));
        });
        app.MapGet(root + "/jobs/query/{id}/results", async (string id, HttpContext context) =>
        {
            if (Interlocked.Increment(ref _resultsRequests) == HangResultsRequest)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return Results.Empty;
            }
            if (!_jobs.TryGetValue(id, out var job))
            {
                return Error(404, "NOT_FOUND", "The requested resource does not exist");
            }
            var locator = context.Request.Query["locator"].ToString();
            var offset = locator.Length == 0 ? 0 : int.Parse(Encoding.ASCII.GetString(Convert.FromBase64String(locator.PadRight((locator.Length + 3) / 4 * 4, '='))),
                CultureInfo.InvariantCulture);
            var max = int.TryParse(context.Request.Query["maxRecords"], CultureInfo.InvariantCulture, out var m) ? m : int.MaxValue;
            var rows = job.Rows.Skip(offset).Take(max).ToList();
            var next = offset + rows.Count < job.Rows.Count ? Locator(offset + rows.Count) : "null";
            context.Response.Headers["Sforce-NumberOfRecords"] = rows.Count.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["Sforce-Locator"] = next;
            return Results.Text(Csv(job.Columns, rows), "text/csv");
        });
    }

    private int _jobCount;

    private static string Locator(int offset) => Convert.ToBase64String(Encoding.ASCII.GetBytes(offset.ToString(CultureInfo.InvariantCulture))).TrimEnd('=');

    private static JsonObject Job(BulkJob job, string state) => new()
    {
        ["id"] = job.Id, ["operation"] = job.Operation, ["object"] = "Opportunity", ["createdById"] = "005000000000000AAA",
        ["state"] = state, ["concurrencyMode"] = "Parallel", ["contentType"] = "CSV", ["apiVersion"] = 60.0,
        ["lineEnding"] = "LF", ["columnDelimiter"] = "COMMA",
    };

    private static string Csv(IReadOnlyList<string> columns, List<JsonObject> rows)
    {
        var csv = new StringBuilder();
        csv.Append(string.Join(',', columns.Select(Quote))).Append('\n');
        foreach (var row in rows)
        {
            csv.Append(string.Join(',', columns.Select(c => Text(c, row[c])))).Append('\n');
        }
        return csv.ToString();
    }

    private static string Text(string column, JsonNode? value)
    {
        if (value is null)
        {
            return "";
        }
        var type = Described.FirstOrDefault(f => f.Name == column)?.Type;
        return value.GetValueKind() switch
        {
            JsonValueKind.True => Quote("true"),
            JsonValueKind.False => Quote("false"),
            JsonValueKind.Number => Quote(value.ToJsonString()),
            _ when type == "datetime" => Quote(((string)value!).Replace("+0000", "Z", StringComparison.Ordinal)),
            _ => Quote((string)value!),
        };
    }

    private static string Quote(string text) => $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    public sealed record DescribedField(string Name, string Type, bool Custom = false);

    private sealed record BulkJob(string Id, string Operation, IReadOnlyList<string> Columns, List<JsonObject> Rows)
    {
        public int Looks;
    }
}
