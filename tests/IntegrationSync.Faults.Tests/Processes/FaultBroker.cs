using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace IntegrationSync.Faults.Tests.Processes;

/// <summary>
/// A RabbitMQ broker of the suite's own (with the management API), so restarting it disturbs no other test: started,
/// stopped and started again through scripts/lib/rabbitmq.sh, with its durable state kept across restarts.
/// </summary>
public sealed class FaultBroker : IAsyncDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);
    private readonly string _dir;
    private readonly string _name = $"faults{Environment.ProcessId}";
    private readonly HttpClient _management;

    private FaultBroker(string dir, int amqpPort, int managementPort)
    {
        (_dir, AmqpPort, ManagementPort) = (dir, amqpPort, managementPort);
        _management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{managementPort}/api/") };
        _management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
    }

    public int AmqpPort { get; }

    public int ManagementPort { get; }

    public string Url => $"amqp://guest:guest@127.0.0.1:{AmqpPort}/";

    public static async Task<FaultBroker> StartAsync(string dir)
    {
        var broker = new FaultBroker(dir, Shell.FreePort(), Shell.FreePort());
        await Shell.RunAsync($"RABBITMQ_FRESH=1 rabbitmq_start {broker._name} {broker.AmqpPort} {broker.ManagementPort} {dir}", ScriptTimeout);
        return broker;
    }

    /// <summary>A clean shutdown of the node; clients see their connections dropped.</summary>
    public Task StopAsync() => Shell.RunAsync($"rabbitmq_stop {_dir}", ScriptTimeout);

    /// <summary>The same node, ports and data directory again: durable queues and persistent messages come back.</summary>
    public Task StartAgainAsync() => Shell.RunAsync($"rabbitmq_start {_name} {AmqpPort} {ManagementPort} {_dir}", ScriptTimeout);

    /// <summary>What an operator's "close connection" does: every client connection is force-closed by the broker.</summary>
    public async Task<int> CloseAllConnectionsAsync()
    {
        var connections = await _management.GetFromJsonAsync<JsonArray>("connections") ?? [];
        foreach (var name in connections.Select(c => c!["name"]!.GetValue<string>()))
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, $"connections/{Uri.EscapeDataString(name)}");
            request.Headers.Add("X-Reason", "fault suite: connection force-closed");
            (await _management.SendAsync(request)).EnsureSuccessStatusCode();
        }
        return connections.Count;
    }

    public async Task DeleteQueueAsync(string queue) =>
        (await _management.DeleteAsync($"queues/%2F/{Uri.EscapeDataString(queue)}")).EnsureSuccessStatusCode();

    /// <summary>Messages ready in a queue, with the headers of the first ones (peeked and requeued).</summary>
    public async Task<(long Count, IReadOnlyList<JsonObject> Sample)> PeekAsync(string queue, int sample)
    {
        var info = await _management.GetFromJsonAsync<JsonObject>($"queues/%2F/{Uri.EscapeDataString(queue)}");
        var messages = await _management.PostAsJsonAsync($"queues/%2F/{Uri.EscapeDataString(queue)}/get",
            new { count = sample, ackmode = "ack_requeue_true", encoding = "auto" });
        messages.EnsureSuccessStatusCode();
        var items = (await messages.Content.ReadFromJsonAsync<JsonArray>() ?? []).OfType<JsonObject>().ToList();
        return (info?["messages"]?.GetValue<long>() ?? 0, items);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _management.Dispose();
    }
}
