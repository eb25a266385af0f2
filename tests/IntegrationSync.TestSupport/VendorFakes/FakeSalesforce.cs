using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IntegrationSync.TestSupport.VendorFakes;

/// <summary>
/// Salesforce REST API v60.0 over Opportunity: SOQL (the cursor's WHERE shape only) through <c>query</c> and
/// <c>queryAll</c> (which also returns deleted records, <c>IsDeleted = true</c>, until the Recycle Bin is emptied), result
/// batches with <c>nextRecordsUrl</c> and <c>totalSize</c>, the selected fields only (<c>FIELDS(STANDARD)</c>: the
/// standard fields of the describe), sobjects read/create/update/delete with <c>If-Unmodified-Since</c>, upserts on an
/// external-id field, the writer named in <c>Sforce-Call-Options</c>, <c>getDeleted</c> (<see cref="FakeSalesforceDeletes"/>),
/// Bulk API 2.0 query jobs (<see cref="FakeSalesforceBulk"/>), the org's usage in <c>Sforce-Limit-Info</c> on every answer,
/// and <c>REQUEST_LIMIT_EXCEEDED</c>.
/// </summary>
public sealed partial class FakeSalesforce : IVendorFake
{
    public const string Version = "v60.0";
    private readonly ConcurrentDictionary<string, List<JsonObject>> _results = new();
    private readonly Lock _gate = new();
    private FakeApi _api = null!;
    private int _created;
    private int _writes;
    private int _apiUsage;

    public FaultPlan Faults { get; } = new();
    public List<JsonObject> Opportunities { get; } = [];
    /// <summary>Records per batch without <c>Sforce-Query-Options</c>, and the most with it (Salesforce: 2,000; small here so a few records make pages).</summary>
    public int DefaultBatchSize { get; set; } = 3;
    public int? QuotaExhaustedAfterCalls { get; set; }
    public int QueryCalls { get; private set; }

    /// <summary>Creates, updates and deletes served (a refused write is not counted).</summary>
    public int Writes => _writes;

    /// <summary>The <c>Sforce-Call-Options</c> of every write, in order.</summary>
    public ConcurrentQueue<string> WriteOrigins { get; } = new();

    /// <summary>When each record was last written through the API (benchmarks time pushes by it).</summary>
    public ConcurrentDictionary<string, DateTimeOffset> WrittenAt { get; } = new();

    /// <summary>The org's API requests of the last 24 hours, told in <c>Sforce-Limit-Info</c>; each answered request adds one.</summary>
    public int ApiUsage
    {
        get => Volatile.Read(ref _apiUsage);
        set => Volatile.Write(ref _apiUsage, value);
    }

    public int DailyApiLimit { get; set; } = 15_000;
    public string InstanceUrl => _api.BaseUrl;
    public string BaseUrl => _api.BaseUrl;

    /// <summary>Put before every <c>nextRecordsUrl</c>, e.g. <c>//other-host:port</c> to point paging elsewhere.</summary>
    public string NextRecordsUrlPrefix { get; set; } = "";

    public static async Task<FakeSalesforce> StartAsync()
    {
        var fake = new FakeSalesforce();
        fake._api = await FakeApi.StartAsync(fake.Faults, status => status switch
        {
            401 => """[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]""",
            429 => """[{"message":"Too many requests","errorCode":"REQUEST_LIMIT_EXCEEDED_CONCURRENT"}]""",
            _ => """[{"message":"Service unavailable","errorCode":"SERVER_UNAVAILABLE"}]""",
        }, fake.Map);
        return fake;
    }

    public static string Modstamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    public JsonObject Add(string name, DateTimeOffset modstamp)
    {
        lock (_gate)
        {
            var record = new JsonObject
            {
                ["Id"] = $"006{Opportunities.Count + 1:D12}",
                ["IsDeleted"] = false,
                ["Name"] = name,
                ["SystemModstamp"] = Modstamp(modstamp),
                ["LastModifiedDate"] = Modstamp(modstamp),
            };
            Opportunities.Add(record);
            return record;
        }
    }

    private void Map(WebApplication app)
    {
        var root = $"/services/data/{Version}";
        app.Use(async (context, next) =>
        {
            context.Response.Headers["Sforce-Limit-Info"] = $"api-usage={Interlocked.Increment(ref _apiUsage)}/{DailyApiLimit}";
            await next(context);
        });
        app.MapGet(root + "/query", (HttpRequest request) => Query(request, root, withDeleted: false));
        app.MapGet(root + "/queryAll", (HttpRequest request) => Query(request, root, withDeleted: true));
        app.MapGet(root + "/query/{locator}", (string locator) =>
        {
            if (Quota() is { } exhausted)
            {
                return exhausted;
            }
            var parts = locator.Split('-');
            return _results.TryGetValue(parts[0], out var rows)
                ? Batch(NextRecordsUrlPrefix + root, parts[0], rows, int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture))
                : Error(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
        });
        app.MapGet(root + "/sobjects/Opportunity/{id}", (string id) =>
            Find(id) is { } record ? Results.Json(WithAttributes(record.DeepClone().AsObject())) : Error(404, "NOT_FOUND", "The requested resource does not exist"));
        app.MapPost(root + "/sobjects/Opportunity", (JsonObject fields, HttpRequest request) =>
        {
            Wrote(request);
            var record = Add((string?)fields["Name"] ?? "", DateTimeOffset.UtcNow);
            _created++;
            foreach (var (key, value) in fields)
            {
                record[key] = value?.DeepClone();
            }
            return Results.Json(new { id = (string)record["Id"]!, success = true, errors = Array.Empty<object>() }, statusCode: 201);
        });
        app.MapGet(root + "/sobjects/Opportunity/{field}/{key}", (string field, string key) =>
            FindBy(field, key) is { } record ? Results.Json(WithAttributes(record.DeepClone().AsObject())) : Error(404, "NOT_FOUND", "The requested resource does not exist"));
        app.MapMethods(root + "/sobjects/Opportunity/{field}/{key}", ["PATCH"], (string field, string key, JsonObject fields, HttpRequest request) =>
        {
            Wrote(request);
            lock (_gate)
            {
                var existing = FindBy(field, key);
                var record = existing ?? Add((string?)fields["Name"] ?? "", DateTimeOffset.UtcNow);
                foreach (var (name, value) in fields)
                {
                    record[name] = value?.DeepClone();
                }
                record[field] = key;
                Touch(record);
                return existing is null
                    ? Results.Json(new { id = (string)record["Id"]!, success = true, created = true, errors = Array.Empty<object>() }, statusCode: 201)
                    : Results.Json(new { id = (string)record["Id"]!, success = true, created = false, errors = Array.Empty<object>() });
            }
        });
        app.MapDelete(root + "/sobjects/Opportunity/{id}", (string id, HttpRequest request) =>
        {
            lock (_gate)
            {
                if (Find(id) is not { } record)
                {
                    return Error(404, "ENTITY_IS_DELETED", "entity is deleted");
                }
                if (Modified(record, request))
                {
                    return Error(412, "PRECONDITION_FAILED", "The record has been modified since the If-Unmodified-Since time");
                }
                Wrote(request);
                Opportunities.Remove(record);
                return Results.NoContent();
            }
        });
        app.MapMethods(root + "/sobjects/Opportunity/{id}", ["PATCH"], (string id, JsonObject fields, HttpRequest request) =>
        {
            if (Find(id) is not { } record)
            {
                return Error(404, "NOT_FOUND", "The requested resource does not exist");
            }
            lock (_gate)
            {
                if (Modified(record, request))
                {
                    return Error(412, "PRECONDITION_FAILED", "The record has been modified since the If-Unmodified-Since time");
                }
                Wrote(request);
                WrittenAt[id] = DateTimeOffset.UtcNow;
                foreach (var (key, value) in fields)
                {
                    record[key] = value?.DeepClone();
                }
                Touch(record);
            }
            return Results.NoContent();
        });
        MapDeletes(app, root);
        MapBulk(app, root);
    }

    private IResult Query(HttpRequest request, string root, bool withDeleted)
    {
        if (Quota() is { } exhausted)
        {
            return exhausted;
        }
        if (Select(request.Query["q"].ToString(), out var error) is not { } select)
        {
            return error!;
        }
        // The default batch is also the largest: a batchSize asks for fewer.
        var batch = request.Headers["Sforce-Query-Options"].ToString() is { Length: > 0 } options
            ? Math.Min(DefaultBatchSize, int.Parse(options.Split('=')[1], CultureInfo.InvariantCulture))
            : DefaultBatchSize;
        var locator = "01g" + Guid.NewGuid().ToString("N")[..12];
        var rows = select.Rows(withDeleted).Select(r => select.Project(r)).ToList();
        _results[locator] = rows;
        return Batch(NextRecordsUrlPrefix + root, locator, rows, 0, batch);
    }

    /// <summary>The rows and columns a SOQL query selects; null (and the error) when the fake cannot run it.</summary>
    private SoqlSelect? Select(string soql, out IResult? error)
    {
        var match = Soql().Match(soql);
        error = !match.Success ? Error(400, "MALFORMED_QUERY", "unexpected SOQL")
            : match.Groups["object"].Value != "Opportunity" ? Error(400, "INVALID_TYPE", $"sObject type '{match.Groups["object"].Value}' is not supported.")
            : null;
        if (error is not null)
        {
            return null;
        }
        var fields = match.Groups["fields"].Value.Split(',', StringSplitOptions.TrimEntries);
        var columns = fields is ["FIELDS(STANDARD)"] ? Described.Where(f => !f.Custom).Select(f => f.Name).ToList() : [.. fields];
        DateTimeOffset? after = match.Groups["t"].Success ? DateTimeOffset.Parse(match.Groups["t"].Value, CultureInfo.InvariantCulture) : null;
        return new SoqlSelect(this, columns, after, match.Groups["id"].Value, fields is ["FIELDS(STANDARD)"]);
    }

    private sealed record SoqlSelect(FakeSalesforce Fake, IReadOnlyList<string> Columns, DateTimeOffset? After, string AfterId, bool Standard)
    {
        public List<JsonObject> Rows(bool withDeleted)
        {
            lock (Fake._gate)
            {
                return Fake.Opportunities.Where(r => withDeleted || r["IsDeleted"]?.GetValue<bool>() != true)
                    .Where(r => After is not { } t || Stamp(r) > t || (Stamp(r) == t && string.CompareOrdinal((string)r["Id"]!, AfterId) > 0))
                    .OrderBy(r => Stamp(r), Comparer<DateTimeOffset>.Default).ThenBy(r => (string)r["Id"]!, StringComparer.Ordinal)
                    .Select(r => r.DeepClone().AsObject()).ToList();
            }
        }

        /// <summary>The selected fields, null where the record has no value, as Salesforce answers.</summary>
        public JsonObject Project(JsonObject row)
        {
            var projected = new JsonObject();
            foreach (var column in Columns)
            {
                projected[column] = row[column]?.DeepClone();
            }
            return projected;
        }
    }

    /// <summary>A change made at the vendor by someone else: the fields set and the modstamp moved on.</summary>
    public void Change(string id, JsonObject fields)
    {
        lock (_gate)
        {
            var record = Find(id) ?? throw new InvalidOperationException($"no opportunity {id}");
            foreach (var (key, value) in fields)
            {
                record[key] = value?.DeepClone();
            }
            Touch(record);
        }
    }

    public JsonObject? FindBy(string field, string value)
    {
        lock (_gate)
        {
            return Opportunities.FirstOrDefault(r => (string?)r[field] == value);
        }
    }

    private void Wrote(HttpRequest request)
    {
        Interlocked.Increment(ref _writes);
        WriteOrigins.Enqueue(request.Headers["Sforce-Call-Options"].ToString());
    }

    private static bool Modified(JsonObject record, HttpRequest request) =>
        request.Headers.IfUnmodifiedSince.ToString() is { Length: > 0 } since && Stamp(record) > DateTimeOffset.Parse(since, CultureInfo.InvariantCulture);

    /// <summary>Moves the modstamp past now (a second on, so a write is always later than whatever was read before it).</summary>
    private static void Touch(JsonObject record)
    {
        var modified = Modstamp(DateTimeOffset.UtcNow.AddSeconds(1));
        record["SystemModstamp"] = modified;
        record["LastModifiedDate"] = modified;
    }

    public JsonObject? Find(string id)
    {
        lock (_gate)
        {
            return Opportunities.FirstOrDefault(r => (string)r["Id"]! == id);
        }
    }

    private IResult? Quota()
    {
        QueryCalls++;
        return QueryCalls > (QuotaExhaustedAfterCalls ?? int.MaxValue)
            ? Error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
            : null;
    }

    private static IResult Batch(string root, string locator, List<JsonObject> rows, int offset, int size)
    {
        var page = rows.Skip(offset).Take(size).Select(r => (JsonNode?)WithAttributes(r.DeepClone().AsObject())).ToArray();
        var done = offset + size >= rows.Count;
        var body = new JsonObject { ["totalSize"] = rows.Count, ["done"] = done, ["records"] = new JsonArray(page) };
        if (!done)
        {
            body["nextRecordsUrl"] = $"{root}/query/{locator}-{offset + size}-{size}";
        }
        return Results.Json(body);
    }

    private static JsonObject WithAttributes(JsonObject record)
    {
        record["attributes"] = new JsonObject { ["type"] = "Opportunity", ["url"] = $"/services/data/{Version}/sobjects/Opportunity/{record["Id"]}" };
        return record;
    }

    private static DateTimeOffset Stamp(JsonObject record) =>
        DateTimeOffset.ParseExact(((string)record["SystemModstamp"]!).Replace("+0000", "Z", StringComparison.Ordinal), "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new JsonArray(new JsonObject { ["message"] = message, ["errorCode"] = code }), statusCode: status);

    [GeneratedRegex(@"^SELECT (?<fields>.+?) FROM (?<object>\w+)(?: WHERE SystemModstamp > (?<t>\S+) OR \(SystemModstamp = (?<t2>\S+) AND Id > '(?<id>\w+)'\))? ORDER BY SystemModstamp ASC, Id ASC$")]
    private static partial Regex Soql();

    public ValueTask DisposeAsync() => _api.DisposeAsync();
}
