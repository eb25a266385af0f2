using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationSync.TestSupport;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.Bench.WebhookDelivery;

/// <summary>
/// How fast sync-api answers a provider: signed Standard Webhooks notifications from <c>workers</c> concurrent senders to
/// one integration's endpoint, each verified, rate-checked, remembered and published (confirmed) before its 202.
/// </summary>
public static class InboundLatency
{
    public static async Task<InboundRun> RunAsync(string rabbitMqUrl, string databaseId, int notifications, int workers)
    {
        await using var integrationManager = await FakeIntegrationManager.StartAsync(TestInfrastructure.JwtSecret);
        var exchange = TestInfrastructure.UniqueName("benchin");
        var (api, address) = await TestHost.StartAsync(IntegrationSync.SyncApi.Program.Build, TestHost.Args(rabbitMqUrl, exchange, databaseId,
            ["--logging:level=Error", $"--services:integration_manager:url={integrationManager.BaseUrl}", "--webhooks:inbound:rate_per_minute=0"]));
        try
        {
            var tenant = Guid.NewGuid().ToString();
            var integrationId = integrationManager.AddIntegration(tenant);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers }) { BaseAddress = new Uri(address) };
            using var setup = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/integrations/{integrationId}/inbound-webhook")
            {
                Content = JsonContent.Create(new { provider = "standard" }),
            };
            setup.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.UserToken(tenant, TestInfrastructure.JwtSecret));
            setup.Headers.Add("X-Tenant-ID", tenant);
            var endpoint = (await (await http.SendAsync(setup)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!;
            var (url, key) = (endpoint["url"]!.GetValue<string>(), Convert.FromBase64String(endpoint["secret"]!.GetValue<string>()[6..]));

            await SendAsync(http, url, key, 500, workers);
            var clock = Stopwatch.StartNew();
            var (latencies, refused) = await SendAsync(http, url, key, notifications, workers);
            var elapsed = clock.Elapsed;
            latencies.Sort();
            var run = new InboundRun(notifications / elapsed.TotalSeconds, Percentile(latencies, 0.5), Percentile(latencies, 0.99), latencies[^1], refused);
            Console.WriteLine($"inbound: {notifications:N0} signed notifications, {workers} senders, {run.PerSecond:N0}/s; "
                + $"answer p50 {run.P50:F1} ms, p99 {run.P99:F1} ms, max {run.Max:F1} ms; not 202: {refused}");
            return run;
        }
        finally
        {
            await api.StopAsync();
            await api.DisposeAsync();
        }
    }

    private static async Task<(List<double> Latencies, int Refused)> SendAsync(HttpClient http, string url, byte[] key, int count, int workers)
    {
        var latencies = new List<double>(count);
        var refused = 0;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                var (id, timestamp, body) = (Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow.ToUnixTimeSeconds(), """{"type":"record.changed"}""");
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Add("webhook-id", id);
                request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
                request.Headers.Add("webhook-signature", "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"))));
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (latencies)
                {
                    latencies.Add(ms);
                    refused += response.StatusCode == System.Net.HttpStatusCode.Accepted ? 0 : 1;
                }
            }
        }));
        return (latencies, refused);
    }

    public static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

public sealed record InboundRun(double PerSecond, double P50, double P99, double Max, int Refused);
