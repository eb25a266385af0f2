using System.Net;
using System.Net.Sockets;
using IntegrationSync.Shared.Security.Outbound;
using Microsoft.Extensions.Options;
using Xunit;

namespace IntegrationSync.Shared.Tests.Security;

/// <summary>
/// The connect-time guard end to end, with loopback targets only: a listener on 127.0.0.1 that counts the connections
/// it accepts. Without an allow-list nothing may reach it, whatever the URL's spelling; with one, it is reached.
/// </summary>
public sealed class GuardedConnectionTests : IAsyncLifetime
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private int _accepted;
    private Task _accepting = Task.CompletedTask;

    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Task InitializeAsync()
    {
        _listener.Start();
        _accepting = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _accepted);
                await using var stream = client.GetStream();
                await stream.WriteAsync("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
            }
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private static HttpClient Client(string[]? hosts = null, string[]? networks = null) =>
        new(OutboundHttpClients.Isolated(new OutboundPolicy(Options.Create(new OutboundOptions
        {
            AllowedHosts = [.. hosts ?? []],
            AllowedNetworks = [.. networks ?? []],
        }))));

    [Theory]
    [InlineData("http://127.0.0.1:{port}/")]
    [InlineData("http://localhost:{port}/")]
    [InlineData("http://2130706433:{port}/")]
    [InlineData("http://0x7f.1:{port}/")]
    [InlineData("http://017700000001:{port}/")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/")]
    public async Task Without_an_allow_list_a_loopback_target_is_refused_at_connect_time(string url)
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(url.Replace("{port}", Port.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        Assert.Contains("loopback", OutboundRefusedException.Find(error)!.Message);
        Assert.Equal(0, _accepted);
    }

    [Theory]
    [InlineData(new string[0], new[] { "127.0.0.0/8" })]
    [InlineData(new[] { "localhost" }, new string[0])]
    public async Task An_allow_listed_loopback_target_is_reached(string[] hosts, string[] networks)
    {
        using var client = Client(hosts, networks);

        using var response = await client.GetAsync($"http://localhost:{Port}/");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(1, _accepted);
    }
}
