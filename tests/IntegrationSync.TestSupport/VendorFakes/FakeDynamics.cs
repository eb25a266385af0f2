using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IntegrationSync.TestSupport.VendorFakes;

/// <summary>
/// Dynamics 365 Web API v9.2 over <c>accounts</c>: the cursor's <c>$filter</c> shape, <c>$orderby=modifiedon asc,accountid asc</c>,
/// <c>Prefer: odata.maxpagesize</c> (at most 5,000) with <c>@odata.nextLink</c>, change tracking (<see cref="FakeDynamicsChanges"/>),
/// ETag-guarded writes and deletes, upserts on an alternate key, and the <c>tag</c> each write carried.
/// </summary>
public sealed partial class FakeDynamics : IVendorFake
{
    private const string Root = "/api/data/v9.2";
    private readonly Lock _gate = new();
    private FakeApi _api = null!;
    private int _version = 1000;
    private int _writes;

    public FaultPlan Faults { get; } = new();
    public List<JsonObject> Accounts { get; } = [];
    public List<string?> PageSizesAsked { get; } = [];

    /// <summary>Creates, updates, upserts and deletes served.</summary>
    public int Writes => _writes;

    /// <summary>The <c>tag</c> query parameter of every write, in order ("" when absent).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Tags { get; } = new();
    public bool AnswerCreatesWithoutBody { get; set; }
    public string EnvironmentUrl => _api.BaseUrl;
    public string BaseUrl => _api.BaseUrl;

    /// <summary>When set, <c>@odata.nextLink</c> points to this host instead of the environment.</summary>
    public string? NextLinkHost { get; set; }

    public static async Task<FakeDynamics> StartAsync()
    {
        var fake = new FakeDynamics();
        fake._api = await FakeApi.StartAsync(fake.Faults, status => status switch
        {
            401 => """{"error":{"code":"","message":"The access token is invalid or expired."}}""",
            429 => """{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}""",
            _ => """{"error":{"code":"0x80040216","message":"An unexpected error occurred."}}""",
        }, fake.Map);
        return fake;
    }

    public static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public JsonObject Add(string name, DateTimeOffset modified, Guid? id = null)
    {
        lock (_gate)
        {
            var account = new JsonObject
            {
                ["@odata.etag"] = $"W/\"{++_version}\"",
                ["accountid"] = (id ?? Guid.NewGuid()).ToString("D"),
                ["name"] = name,
                ["modifiedon"] = Stamp(modified),
            };
            Accounts.Add(account);
            return account;
        }
    }

    public JsonObject? Find(string id)
    {
        lock (_gate)
        {
            return Accounts.FirstOrDefault(a => (string)a["accountid"]! == id);
        }
    }

    public List<string> Ordered()
    {
        lock (_gate)
        {
            return Sorted(Accounts).Select(a => (string)a["accountid"]!).ToList();
        }
    }

    private static IEnumerable<JsonObject> Sorted(IEnumerable<JsonObject> rows) =>
        rows.OrderBy(a => (string)a["modifiedon"]!, StringComparer.Ordinal).ThenBy(a => (string)a["accountid"]!, StringComparer.Ordinal);

    private void Map(WebApplication app)
    {
        app.MapGet(Root + "/{segment}", (string segment, HttpRequest request) =>
        {
            if (KeySegment().Match(segment) is { Success: true } key)
            {
                if (key.Groups["set"].Value != "accounts")
                {
                    return NotFound(segment);
                }
                return Find(key.Groups["id"].Value) is { } one ? Results.Json(one.DeepClone()) : Error(404, "0x80040217", $"account With Id = {key.Groups["id"].Value} Does Not Exist");
            }
            if (segment != "accounts")
            {
                return NotFound(segment);
            }
            var prefer = request.Headers["Prefer"].ToString();
            PageSizesAsked.Add(prefer);
            var size = MaxPageSize(prefer);
            if (Tracked(request, prefer) is { } tracked)
            {
                return tracked;
            }
            var skip = int.TryParse(request.Query["$skiptoken"], CultureInfo.InvariantCulture, out var s) ? s : 0;
            List<JsonObject> rows;
            lock (_gate)
            {
                rows = Sorted(Accounts).Select(a => a.DeepClone().AsObject()).ToList();
            }
            if (request.Query["$filter"].ToString() is { Length: > 0 } filter)
            {
                var match = Filter().Match(filter);
                if (!match.Success)
                {
                    return Error(400, "0x80060888", $"Could not parse $filter: {filter}");
                }
                var t = match.Groups["t"].Value;
                var id = match.Groups["id"].Value;
                rows = rows.Where(a => string.CompareOrdinal((string)a["modifiedon"]!, t) > 0
                    || ((string)a["modifiedon"]! == t && string.CompareOrdinal((string)a["accountid"]!, id) > 0)).ToList();
            }
            var body = new JsonObject
            {
                ["@odata.context"] = $"{EnvironmentUrl}{Root}/$metadata#accounts",
                ["value"] = new JsonArray(rows.Skip(skip).Take(size).Select(r => (JsonNode?)r).ToArray()),
            };
            if (skip + size < rows.Count)
            {
                var query = string.Join('&', request.Query.Where(q => q.Key != "$skiptoken").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}"));
                body["@odata.nextLink"] = $"{NextLinkHost ?? EnvironmentUrl}{Root}/accounts?{query}&$skiptoken={skip + size}";
            }
            return Results.Json(body);
        });
        app.MapPost(Root + "/accounts", (JsonObject fields, HttpRequest request, HttpResponse response) =>
        {
            Wrote(request);
            var account = Add((string?)fields["name"] ?? "", DateTimeOffset.UtcNow);
            Merge(account, fields);
            if (AnswerCreatesWithoutBody)
            {
                response.Headers["OData-EntityId"] = $"{EnvironmentUrl}{Root}/accounts({account["accountid"]})";
                return Results.NoContent();
            }
            return Results.Json(account.DeepClone(), statusCode: 201);
        });
        app.MapDelete(Root + "/{segment}", (string segment, HttpRequest request) =>
        {
            var key = KeySegment().Match(segment);
            if (!key.Success || key.Groups["set"].Value != "accounts")
            {
                return NotFound(segment);
            }
            lock (_gate)
            {
                if (Find(key.Groups["id"].Value) is not { } account)
                {
                    return Error(404, "0x80040217", "Does Not Exist");
                }
                if (request.Headers.IfMatch.ToString() is { Length: > 0 } ifMatch && ifMatch != "*" && ifMatch != (string)account["@odata.etag"]!)
                {
                    return Error(412, "0x80060882", "The version of the existing record doesn't match the RowVersion property provided.");
                }
                Wrote(request);
                Accounts.Remove(account);
                return Results.NoContent();
            }
        });
        app.MapMethods(Root + "/{segment}", ["PATCH"], (string segment, JsonObject fields, HttpRequest request) =>
        {
            if (AlternateKeySegment().Match(segment) is { Success: true } alternate && alternate.Groups["set"].Value == "accounts")
            {
                return Upsert(alternate.Groups["key"].Value, alternate.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal), fields, request);
            }
            var key = KeySegment().Match(segment);
            if (!key.Success || key.Groups["set"].Value != "accounts")
            {
                return NotFound(segment);
            }
            if (Find(key.Groups["id"].Value) is not { } account)
            {
                return Error(404, "0x80040217", "Does Not Exist");
            }
            var ifMatch = request.Headers.IfMatch.ToString();
            lock (_gate)
            {
                if (ifMatch != "*" && ifMatch != (string)account["@odata.etag"]!)
                {
                    return Error(412, "0x80060882", "The version of the existing record doesn't match the RowVersion property provided.");
                }
            }
            Wrote(request);
            Merge(account, fields);
            return Results.Json(account.DeepClone());
        });
    }

    private IResult Upsert(string keyField, string keyValue, JsonObject fields, HttpRequest request)
    {
        Wrote(request);
        lock (_gate)
        {
            var existing = Accounts.FirstOrDefault(a => (string?)a[keyField] == keyValue);
            var account = existing ?? Add((string?)fields["name"] ?? "", DateTimeOffset.UtcNow);
            Merge(account, fields);
            account[keyField] = keyValue;
            return Results.Json(account.DeepClone(), statusCode: existing is null ? 201 : 200);
        }
    }

    /// <summary>A change made in Dynamics by someone else: the fields set, a new ETag and <c>modifiedon</c>.</summary>
    public void Change(string id, JsonObject fields)
    {
        Merge(Find(id) ?? throw new InvalidOperationException($"no account {id}"), fields);
    }

    private void Wrote(HttpRequest request)
    {
        Interlocked.Increment(ref _writes);
        Tags.Enqueue(request.Query["tag"].ToString());
    }

    private void Merge(JsonObject account, JsonObject fields)
    {
        lock (_gate)
        {
            foreach (var (key, value) in fields)
            {
                account[key] = value?.DeepClone();
            }
            account["@odata.etag"] = $"W/\"{++_version}\"";
            account["modifiedon"] = Stamp(DateTimeOffset.UtcNow);
        }
    }

    private static IResult NotFound(string segment) => Error(404, "0x80060888", $"Resource not found for the segment '{segment}'.");

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, statusCode: status);

    [GeneratedRegex(@"^(?<set>\w+)\((?<id>[0-9a-f-]{36})\)$")]
    private static partial Regex KeySegment();

    [GeneratedRegex(@"^(?<set>\w+)\((?<key>\w+)='(?<value>(?:[^']|'')*)'\)$")]
    private static partial Regex AlternateKeySegment();

    [GeneratedRegex(@"^modifiedon gt (?<t>\S+) or \(modifiedon eq (?<t2>\S+) and accountid gt (?<id>[0-9a-f-]{36})\)$")]
    private static partial Regex Filter();

    public ValueTask DisposeAsync() => _api.DisposeAsync();
}
