using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IntegrationSync.TestSupport.VendorFakes;

/// <summary>
/// A plain JSON API in two paging styles: <c>/cursor/items?after=</c> answering <c>{data:{items}, meta:{next}}</c> and
/// <c>/linked/items?page=</c> answering <c>{items, links:{next}}</c> with a relative link; items are read, created and
/// updated with an ETag checked by <c>If-Match</c>, created at a chosen id by PUT, deleted, and a POST repeated with the same
/// <c>Idempotency-Key</c> answers the item it created. The credential travels in <c>X-Api-Key</c>.
/// </summary>
public sealed class FakeRestApi : IVendorFake
{
    private readonly Lock _gate = new();
    private FakeApi _api = null!;
    private int _nextId = 1;
    private int _writes;
    private readonly Dictionary<string, string> _idempotencyKeys = [];

    public FaultPlan Faults { get; } = new();
    public List<JsonObject> Items { get; } = [];
    public int PageSize { get; set; } = 3;

    /// <summary>Creates, updates and deletes served (a repeated idempotent POST is not counted).</summary>
    public int Writes => _writes;

    /// <summary>When set, next links are absolute on this base (e.g. another host) instead of relative.</summary>
    public string? NextLinkBase { get; set; }
    public string BaseUrl => _api.BaseUrl;

    public static async Task<FakeRestApi> StartAsync()
    {
        var fake = new FakeRestApi();
        fake.Faults.Authorize = request => request.Headers["X-Api-Key"].ToString() == fake.Faults.ValidToken;
        fake._api = await FakeApi.StartAsync(fake.Faults, status => $$"""{"error":"status {{status}}"}""", fake.Map);
        return fake;
    }

    public JsonObject Add(JsonObject item, bool withId = true)
    {
        lock (_gate)
        {
            if (withId)
            {
                item["id"] = $"item-{_nextId++}";
            }
            item["version"] = 1;
            Items.Add(item);
            return item;
        }
    }

    public JsonObject? Find(string id)
    {
        lock (_gate)
        {
            return Items.FirstOrDefault(i => (string?)i["id"] == id);
        }
    }

    /// <summary>A change made at the vendor by someone else: the fields set and the version moved on.</summary>
    public void Change(string id, JsonObject fields)
    {
        lock (_gate)
        {
            var item = Find(id) ?? throw new InvalidOperationException($"no item {id}");
            foreach (var (key, value) in fields)
            {
                item[key] = value?.DeepClone();
            }
            item["version"] = (int)item["version"]! + 1;
        }
    }

    /// <summary>Why a write to an item is refused: it does not exist (404), or <c>If-Match</c> names another version (412); null to go on.</summary>
    private IResult? Refusal(string id, HttpRequest request, out JsonObject item)
    {
        item = Find(id)!;
        if (item is null)
        {
            return Results.Json(new { error = "not found" }, statusCode: 404);
        }
        return request.Headers.IfMatch.ToString() is { Length: > 0 } ifMatch && ifMatch != $"\"{item["version"]}\""
            ? Results.Json(new { error = "version mismatch" }, statusCode: 412)
            : null;
    }

    private JsonNode?[] Page(int start) => Items.Skip(start).Take(PageSize).Select(i => (JsonNode?)i.DeepClone()).ToArray();

    private void Map(WebApplication app)
    {
        app.MapGet("/cursor/items", (HttpRequest request) =>
        {
            lock (_gate)
            {
                var start = request.Query["after"].ToString() is { Length: > 0 } after ? Items.FindIndex(i => (string?)i["id"] == after) + 1 : 0;
                var page = Page(start);
                return Results.Json(new JsonObject
                {
                    ["data"] = new JsonObject { ["items"] = new JsonArray(page), ["status"] = request.Query["status"].ToString() },
                    ["meta"] = new JsonObject { ["next"] = start + PageSize < Items.Count ? (string?)page[^1]!["id"] : null },
                });
            }
        });
        app.MapGet("/linked/items", (HttpRequest request) =>
        {
            lock (_gate)
            {
                var number = int.TryParse(request.Query["page"], CultureInfo.InvariantCulture, out var n) ? n : 0;
                var body = new JsonObject { ["items"] = new JsonArray(Page(number * PageSize)) };
                if ((number + 1) * PageSize < Items.Count)
                {
                    body["links"] = new JsonObject { ["next"] = $"{(NextLinkBase is null ? "" : NextLinkBase + "/linked/")}items?page={number + 1}" };
                }
                return Results.Json(body);
            }
        });
        app.MapGet("/cursor/items/{id}", (string id, HttpResponse response) =>
        {
            if (Find(id) is not { } item)
            {
                return Results.Json(new { error = "not found" }, statusCode: 404);
            }
            response.Headers.ETag = $"\"{item["version"]}\"";
            return Results.Json(new JsonObject { ["data"] = item.DeepClone() });
        });
        app.MapPost("/cursor/items", (JsonObject fields, HttpRequest request, HttpResponse response) =>
        {
            lock (_gate)
            {
                var key = request.Headers["Idempotency-Key"].ToString();
                if (key.Length > 0 && _idempotencyKeys.TryGetValue(key, out var earlier) && Find(earlier) is { } again)
                {
                    response.Headers.ETag = $"\"{again["version"]}\"";
                    return Results.Json(again.DeepClone(), statusCode: 201);
                }
                _writes++;
                var item = Add(fields.DeepClone().AsObject());
                if (key.Length > 0)
                {
                    _idempotencyKeys[key] = (string)item["id"]!;
                }
                response.Headers.ETag = $"\"{item["version"]}\"";
                return Results.Json(item.DeepClone(), statusCode: 201);
            }
        });
        app.MapPut("/cursor/items/{id}", (string id, JsonObject fields, HttpResponse response) =>
        {
            lock (_gate)
            {
                _writes++;
                var existing = Find(id);
                var item = existing ?? Add(new JsonObject { ["id"] = id }, withId: false);
                foreach (var (key, value) in fields)
                {
                    item[key] = value?.DeepClone();
                }
                item["id"] = id;
                if (existing is not null)
                {
                    item["version"] = (int)item["version"]! + 1;
                }
                response.Headers.ETag = $"\"{item["version"]}\"";
                return Results.Json(item.DeepClone(), statusCode: existing is null ? 201 : 200);
            }
        });
        app.MapDelete("/cursor/items/{id}", (string id, HttpRequest request) =>
        {
            lock (_gate)
            {
                if (Refusal(id, request, out var item) is { } refusal)
                {
                    return refusal;
                }
                _writes++;
                Items.Remove(item);
                return Results.NoContent();
            }
        });
        app.MapMethods("/cursor/items/{id}", ["PATCH"], (string id, JsonObject fields, HttpRequest request, HttpResponse response) =>
        {
            lock (_gate)
            {
                if (Refusal(id, request, out var item) is { } refusal)
                {
                    return refusal;
                }
                _writes++;
                foreach (var (key, value) in fields)
                {
                    item[key] = value?.DeepClone();
                }
                item["version"] = (int)item["version"]! + 1;
                response.Headers.ETag = $"\"{item["version"]}\"";
                return Results.Json(item.DeepClone());
            }
        });
        app.MapGet("/broken/items", () => Results.Json(new { error = "no such resource" }, statusCode: 400));
    }

    public ValueTask DisposeAsync() => _api.DisposeAsync();
}
