using System.Net;
using System.Net.Sockets;
using IntegrationSync.EventConsumer.Webhooks;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Security.Outbound;
using IntegrationSync.Shared.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using IntegrationSync.TestSupport;
using Microsoft.Extensions.Options;

namespace IntegrationSync.EventConsumer.Tests.Webhooks;

/// <summary>http allowed (so only the guard can refuse), and no outbound allow-list: loopback is as refused as any private address.</summary>
public sealed class NoAllowListHost : WebhookHost
{
    protected override IEnumerable<string> ExtraArgs => [.. base.ExtraArgs.Where(a => !a.StartsWith("--outbound:", StringComparison.Ordinal))];
}

public sealed class SsrfTests(NoAllowListHost host) : IClassFixture<NoAllowListHost>
{
    [Theory]
    [InlineData("http://127.0.0.1:9/hook", "loopback address")]
    [InlineData("http://2130706433/hook", "loopback address")]
    [InlineData("http://[::1]/hook", "loopback address")]
    [InlineData("http://[::ffff:127.0.0.1]/hook", "loopback (IPv4 inside an IPv6 address) address")]
    [InlineData("http://10.1.2.3/hook", "private address")]
    [InlineData("http://172.16.0.1/hook", "private address")]
    [InlineData("http://192.168.1.1/hook", "private address")]
    [InlineData("http://100.64.0.1/hook", "shared (carrier-grade NAT) address")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "link-local (cloud metadata) address")]
    [InlineData("http://[fd00::1]/hook", "unique-local (private) address")]
    [InlineData("http://[fe80::1]/hook", "link-local address")]
    [InlineData("http://0.0.0.0/hook", "unspecified (this network) address")]
    [InlineData("http://localhost/hook", "local host name")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/", "local host name")]
    [InlineData("http://sync-api.castiel.svc.cluster.local/hook", "local host name")]
    [InlineData("http://rabbitmq/hook", "single-label (cluster or intranet) host name")]
    public async Task A_delivery_to_a_target_that_is_not_public_is_refused_without_any_connection(string url, string kind)
    {
        var clients = new NoClients();
        var sender = new WebhookSender(clients, new OutboundPolicy(Options.Create(new OutboundOptions())),
            Options.Create(new WebhookOptions { AllowHttp = true }), TimeProvider.System);
        var webhook = new WebhookDocument { Id = "w", TenantId = "t", Url = url, Secret = WebhookSecrets.Generate(), Active = true };
        var delivery = new WebhookDeliveryDocument
        {
            Id = "msg_1", DeliveryId = "msg_1", TenantId = "t", WebhookId = "w", EventType = EventNames.SyncStarted, Payload = "{}",
            Status = WebhookDeliveryDocument.Pending, CreatedAt = IsoTime.Format(DateTimeOffset.UtcNow),
        };

        var result = await sender.SendAsync(webhook, delivery, CancellationToken.None);

        Assert.Null(result.StatusCode);
        Assert.Contains($"is a {kind}, not a public host", result.Error);
        Assert.Equal(0, clients.Created);
    }

    [Fact]
    public async Task The_delivery_client_refuses_a_name_that_resolves_to_loopback_when_connecting()
    {
        using var listener = new CountingListener();
        var client = host.Consumer.Services.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookSender.ClientName);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync($"http://localhost:{listener.Port}/hook", new StringContent("{}")));

        Assert.Equal("localhost", OutboundRefusedException.Find(error)?.Host);
        Assert.Equal(0, listener.Accepted);
    }

    [Fact]
    public async Task A_registration_that_points_at_loopback_gets_failed_attempts_and_never_a_connection()
    {
        using var listener = new CountingListener();
        var tenant = Guid.NewGuid().ToString();
        var integration = Guid.NewGuid().ToString();
        var byName = await host.RegisterAsync(tenant, integration, $"http://localhost:{listener.Port}/hook", [EventNames.SyncStarted]);
        var byAddress = await host.RegisterAsync(tenant, integration, $"http://127.0.0.1:{listener.Port}/hook", [EventNames.SyncStarted]);

        var envelopeTask = Guid.NewGuid().ToString();
        await host.Fleet.PublishAsync(new SyncStarted(envelopeTask, integration, "inbound"), tenant);

        foreach (var webhook in new[] { byName, byAddress })
        {
            var delivery = await WaitForFailedAsync(tenant, webhook.WebhookId!);
            Assert.Equal(3, delivery.Attempts);
            Assert.All(delivery.AttemptLog!, a => Assert.StartsWith("refused:", a.Error, StringComparison.Ordinal));
        }
        Assert.Equal(0, listener.Accepted);
    }

    private async Task<WebhookDeliveryDocument> WaitForFailedAsync(string tenant, string webhookId)
    {
        var query = new Microsoft.Azure.Cosmos.QueryDefinition("SELECT * FROM c WHERE c.tenantId = @t AND c.webhookId = @w")
            .WithParameter("@t", tenant).WithParameter("@w", webhookId);
        var found = await Poll.UntilAsync(() => host.Deliveries.QueryAsync(tenant, query, null, CancellationToken.None),
            d => d is [{ Status: WebhookDeliveryDocument.Failed }], $"the delivery to {webhookId} to fail");
        return found.Single();
    }

    private sealed class NoClients : IHttpClientFactory
    {
        public int Created { get; private set; }

        public HttpClient CreateClient(string name)
        {
            Created++;
            throw new InvalidOperationException("a refused target must never reach the HTTP client");
        }
    }

    /// <summary>A TCP port on loopback that counts the connections made to it.</summary>
    private sealed class CountingListener : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private int _accepted;

        public CountingListener()
        {
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (true)
                {
                    try
                    {
                        using var socket = await _listener.AcceptSocketAsync();
                        Interlocked.Increment(ref _accepted);
                    }
                    catch (Exception e) when (e is SocketException or ObjectDisposedException)
                    {
                        return;
                    }
                }
            });
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Accepted => Volatile.Read(ref _accepted);

        public void Dispose() => _listener.Stop();
    }
}
