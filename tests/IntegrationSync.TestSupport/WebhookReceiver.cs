using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IntegrationSync.TestSupport;

/// <summary>
/// A tenant's webhook endpoint on 127.0.0.1: records every request per path and answers as planned (by default 200);
/// verifies Standard Webhooks signatures with its own implementation of the scheme, not the fleet's.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<PlannedAnswer>> _plans = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PlannedAnswer> _always = new(StringComparer.Ordinal);

    private WebhookReceiver(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.Run(context => receiver!.AnswerAsync(context));
        await app.StartAsync();
        receiver = new WebhookReceiver(app, app.Urls.First().TrimEnd('/'));
        return receiver;
    }

    /// <summary>A fresh path of its own on this receiver, e.g. one per registration.</summary>
    public string NewUrl() => $"{BaseUrl}/hooks/{Guid.NewGuid():N}";

    /// <summary>The next requests to <paramref name="url"/> get these answers, in order; then 200 again.</summary>
    public void Plan(string url, params PlannedAnswer[] answers)
    {
        var queue = _plans.GetOrAdd(new Uri(url).AbsolutePath, _ => new ConcurrentQueue<PlannedAnswer>());
        foreach (var answer in answers)
        {
            queue.Enqueue(answer);
        }
    }

    /// <summary>Every request to <paramref name="url"/> gets this answer.</summary>
    public void Always(string url, PlannedAnswer answer) => _always[new Uri(url).AbsolutePath] = answer;

    public IReadOnlyList<ReceivedWebhook> At(string url) => Received.Where(r => r.Path == new Uri(url).AbsolutePath).ToList();

    public Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(string url, int count, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => Task.FromResult(At(url)), r => r.Count >= count, $"{count} requests to {url}", timeout);

    private async Task AnswerAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var path = context.Request.Path.Value ?? "/";
        _received.Enqueue(new ReceivedWebhook(path, context.Request.Method,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), buffer.ToArray(), DateTimeOffset.UtcNow));
        var answer = _plans.TryGetValue(path, out var queue) && queue.TryDequeue(out var planned) ? planned
            : _always.TryGetValue(path, out var always) ? always : PlannedAnswer.Ok;
        if (answer.HoldUntil is { } hold)
        {
            await hold.WaitAsync(context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        context.Response.StatusCode = answer.Status;
        if (answer.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (answer.Location is { } location)
        {
            context.Response.Headers.Location = location;
        }
        if (answer.Body is { } body)
        {
            await context.Response.WriteAsync(body);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record PlannedAnswer(int Status, int? RetryAfterSeconds = null, string? Location = null, string? Body = null, Task? HoldUntil = null)
{
    public static readonly PlannedAnswer Ok = new(200);
}

public sealed record ReceivedWebhook(string Path, string Method, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset At)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());

    public string Id => Header("webhook-id")!;

    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    /// <summary>True when one of the <c>v1</c> signatures is the HMAC-SHA256, under <paramref name="secret"/>, of <c>id.timestamp.body</c>.</summary>
    public bool SignedWith(string secret)
    {
        var key = secret.StartsWith("whsec_", StringComparison.Ordinal) ? Convert.FromBase64String(secret[6..]) : Encoding.UTF8.GetBytes(secret);
        var signed = Encoding.UTF8.GetBytes($"{Header("webhook-id")}.{Header("webhook-timestamp")}.").Concat(Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        return (Header("webhook-signature") ?? "").Split(' ').Contains(expected);
    }
}
