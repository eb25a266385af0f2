using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IntegrationSync.TestSupport.VendorFakes;

/// <summary>
/// HubSpot CRM v3 deals: search (<see cref="FakeHubSpotSearch"/>), the archived listing, read, create, update, archive,
/// batch upsert on a unique property, a rolling rate-limit window announced in <c>X-HubSpot-RateLimit-*</c>, the daily
/// limit (429 <c>DAILY</c>) and the daily usage in <c>X-HubSpot-RateLimit-Daily</c> / <c>-Daily-Remaining</c> on every
/// answer but search's.
/// </summary>
public sealed partial class FakeHubSpot : IVendorFake
{
    private readonly Lock _gate = new();
    private FakeApi _api = null!;
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _windowCalls;
    private int _calls;
    private int _writes;

    public FaultPlan Faults { get; } = new();
    public List<JsonObject> Deals { get; } = [];
    public int? WindowLimit { get; set; }
    public int WindowMs { get; set; } = 400;
    public int RateLimitViolations { get; private set; }

    /// <summary>Creates, updates, upserts and archives served.</summary>
    public int Writes => _writes;

    /// <summary>Calls answered before the account's daily limit is spent (then 429 <c>policyName: DAILY</c>); 0: spent already.</summary>
    public int? DailyLimitAfterCalls { get; set; }

    /// <summary>The account's daily allocation and the calls of the day so far (each call adds one), told on answers other than search's.</summary>
    public int DailyLimit { get; set; } = 500_000;

    public int DailyUsed
    {
        get => Volatile.Read(ref _calls);
        set => Volatile.Write(ref _calls, value);
    }

    /// <summary>Archived deals, as the recycle bin keeps them.</summary>
    public List<JsonObject> Archived { get; } = [];
    public string BaseUrl => _api.BaseUrl;

    public static async Task<FakeHubSpot> StartAsync()
    {
        var fake = new FakeHubSpot();
        fake._api = await FakeApi.StartAsync(fake.Faults, status => status switch
        {
            401 => """{"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION"}""",
            403 => """{"status":"error","message":"This app hasn't been granted all required scopes to make this call.","category":"MISSING_SCOPES","errors":[{"message":"One or more of the following scopes are required.","context":{"requiredGranularScopes":["crm.objects.deals.read"]}}]}""",
            429 => """{"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT","policyName":"SECONDLY"}""",
            _ => """{"status":"error","message":"internal error","category":"INTERNAL_ERROR"}""",
        }, fake.Map);
        return fake;
    }

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    public JsonObject Add(string name, DateTimeOffset modified)
    {
        lock (_gate)
        {
            var id = (1000 + Deals.Count).ToString(CultureInfo.InvariantCulture);
            var deal = new JsonObject
            {
                ["id"] = id,
                ["properties"] = new JsonObject { ["dealname"] = name, ["hs_lastmodifieddate"] = Iso(modified), ["hs_object_id"] = id },
                ["createdAt"] = Iso(modified),
                ["updatedAt"] = Iso(modified),
                ["archived"] = false,
            };
            Deals.Add(deal);
            return deal;
        }
    }

    public JsonObject? Find(string id)
    {
        lock (_gate)
        {
            return Deals.FirstOrDefault(d => (string)d["id"]! == id);
        }
    }

    private void Map(WebApplication app)
    {
        app.MapPost("/crm/v3/objects/{type}/search", async (string type, HttpContext context) =>
        {
            var text = await new StreamReader(context.Request.Body).ReadToEndAsync();
            return Admit(context, type, search: true) ?? Search(JsonNode.Parse(text)!.AsObject(), text.Length);
        });
        app.MapGet("/crm/v3/objects/{type}", (string type, HttpContext context) => Admit(context, type) ?? ArchivedList(context.Request));
        app.MapGet("/crm/v3/objects/{type}/{id}", (string type, string id, HttpContext context) =>
            Admit(context, type) ?? (Find(id) is { } deal ? Results.Json(deal.DeepClone()) : Results.Json(new { status = "error", message = "resource not found", category = "OBJECT_NOT_FOUND" }, statusCode: 404)));
        app.MapPost("/crm/v3/objects/{type}/batch/upsert", (string type, JsonObject body, HttpContext context) =>
        {
            if (Admit(context, type) is { } refused)
            {
                return refused;
            }
            Interlocked.Increment(ref _writes);
            var results = new JsonArray();
            foreach (var input in body["inputs"]?.AsArray() ?? [])
            {
                var (idProperty, key) = ((string)input!["idProperty"]!, (string)input["id"]!);
                lock (_gate)
                {
                    var existing = Deals.FirstOrDefault(d => (string?)d["properties"]![idProperty] == key);
                    var deal = existing ?? Add((string?)input["properties"]?["dealname"] ?? "", DateTimeOffset.UtcNow);
                    Merge(deal, input.AsObject());
                    deal["properties"]![idProperty] = key;
                    Touch(deal);
                    var result = deal.DeepClone().AsObject();
                    result["new"] = existing is null;
                    results.Add(result);
                }
            }
            return Results.Json(new JsonObject { ["status"] = "COMPLETE", ["results"] = results });
        });
        app.MapDelete("/crm/v3/objects/{type}/{id}", (string type, string id, HttpContext context) =>
        {
            if (Admit(context, type) is { } refused)
            {
                return refused;
            }
            lock (_gate)
            {
                if (Find(id) is not { } deal)
                {
                    return Results.Json(new { status = "error", message = "resource not found", category = "OBJECT_NOT_FOUND" }, statusCode: 404);
                }
                Interlocked.Increment(ref _writes);
                Deals.Remove(deal);
                return Results.NoContent();
            }
        });
        app.MapPost("/crm/v3/objects/{type}", (string type, JsonObject body, HttpContext context) =>
        {
            if (Admit(context, type) is { } refused)
            {
                return refused;
            }
            Interlocked.Increment(ref _writes);
            var deal = Add((string?)body["properties"]?["dealname"] ?? "", DateTimeOffset.UtcNow);
            Merge(deal, body);
            return Results.Json(deal.DeepClone(), statusCode: 201);
        });
        app.MapMethods("/crm/v3/objects/{type}/{id}", ["PATCH"], (string type, string id, JsonObject body, HttpContext context) =>
        {
            if (Admit(context, type) is { } refused)
            {
                return refused;
            }
            if (Find(id) is not { } deal)
            {
                return Results.Json(new { status = "error", message = "resource not found", category = "OBJECT_NOT_FOUND" }, statusCode: 404);
            }
            Interlocked.Increment(ref _writes);
            Merge(deal, body);
            Touch(deal);
            return Results.Json(deal.DeepClone());
        });
    }

    /// <summary>A change made in HubSpot by someone else: the properties set and <c>updatedAt</c> moved on.</summary>
    public void Change(string id, JsonObject properties)
    {
        lock (_gate)
        {
            var deal = Find(id) ?? throw new InvalidOperationException($"no deal {id}");
            Merge(deal, new JsonObject { ["properties"] = properties.DeepClone() });
            Touch(deal);
        }
    }

    private void Touch(JsonObject deal)
    {
        lock (_gate)
        {
            var now = Iso(DateTimeOffset.UtcNow.AddMilliseconds(5));
            deal["updatedAt"] = now;
            deal["properties"]!["hs_lastmodifieddate"] = now;
        }
    }

    private void Merge(JsonObject deal, JsonObject body)
    {
        lock (_gate)
        {
            foreach (var (key, value) in body["properties"] as JsonObject ?? [])
            {
                deal["properties"]![key] = value?.DeepClone();
            }
        }
    }

    private IResult? Admit(HttpContext context, string type, bool search = false)
    {
        var calls = Interlocked.Increment(ref _calls);
        if (!search)
        {
            context.Response.Headers["X-HubSpot-RateLimit-Daily"] = DailyLimit.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["X-HubSpot-RateLimit-Daily-Remaining"] = Math.Max(0, DailyLimit - calls).ToString(CultureInfo.InvariantCulture);
        }
        if (calls > (DailyLimitAfterCalls ?? int.MaxValue))
        {
            return Results.Json(new { status = "error", message = "You have reached your daily limit.", errorType = "RATE_LIMIT", policyName = "DAILY" }, statusCode: 429);
        }
        if (WindowLimit is { } max)
        {
            lock (_gate)
            {
                var now = DateTimeOffset.UtcNow;
                if (now - _windowStart >= TimeSpan.FromMilliseconds(WindowMs))
                {
                    _windowStart = now;
                    _windowCalls = 0;
                }
                _windowCalls++;
                var headers = context.Response.Headers;
                headers["X-HubSpot-RateLimit-Max"] = max.ToString(CultureInfo.InvariantCulture);
                headers["X-HubSpot-RateLimit-Remaining"] = Math.Max(0, max - _windowCalls).ToString(CultureInfo.InvariantCulture);
                headers["X-HubSpot-RateLimit-Interval-Milliseconds"] = WindowMs.ToString(CultureInfo.InvariantCulture);
                if (_windowCalls > max)
                {
                    RateLimitViolations++;
                    return Results.Json(new { status = "error", message = "You have reached your ten_secondly_rolling limit.", errorType = "RATE_LIMIT", policyName = "TEN_SECONDLY_ROLLING" }, statusCode: 429);
                }
            }
        }
        return type == "deals" ? null : Results.Json(new { status = "error", message = $"Unable to infer object type from: {type}", category = "VALIDATION_ERROR" }, statusCode: 400);
    }


    public ValueTask DisposeAsync() => _api.DisposeAsync();
}
