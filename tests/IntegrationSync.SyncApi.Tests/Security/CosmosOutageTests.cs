using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace IntegrationSync.SyncApi.Tests.Security;

/// <summary>
/// A host on a Cosmos test server of its own, which the test kills (connections refused) or freezes (connections
/// hang): either way the API must answer 503 promptly, the frozen case within its 3 s request deadline.
/// </summary>
public sealed partial class CosmosOutageHost : ApiHost
{
    private Process? _cosmos;
    private string _endpoint = "";

    protected override string CosmosEndpoint => _endpoint;

    protected override bool DeleteDatabaseOnDispose => false;

    protected override IEnumerable<string> ExtraArgs => ["--api:request_timeout_seconds=3"];

    public override async Task InitializeAsync()
    {
        _endpoint = await StartCosmosAsync();
        await base.InitializeAsync();
    }

    public void KillCosmos()
    {
        _cosmos!.Kill(entireProcessTree: true);
        _cosmos.WaitForExit();
    }

    public void FreezeCosmos() => Signal("STOP");

    public void ThawCosmos() => Signal("CONT");

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _cosmos!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public override async Task DisposeAsync()
    {
        if (_cosmos is { HasExited: false })
        {
            ThawCosmos();
        }
        await base.DisposeAsync();
        if (_cosmos is { HasExited: false })
        {
            KillCosmos();
        }
        _cosmos?.Dispose();
    }

    private async Task<string> StartCosmosAsync()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "IntegrationSync.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("No IntegrationSync.sln above the test binaries");
        }
        var tool = Path.Combine(root, "tools", "cosmos");
        if (!Directory.Exists(Path.Combine(tool, "node_modules")))
        {
            throw new InvalidOperationException($"{tool}/node_modules is missing: run `source scripts/lib/cosmos.sh && cosmos_install` (scripts/test.sh does).");
        }
        _cosmos = Process.Start(new ProcessStartInfo("node", ["server.js", "--port", "0"])
        {
            WorkingDirectory = tool,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await _cosmos.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (Listening().Match(line) is { Success: true } match)
            {
                return match.Groups[1].Value + "/";
            }
        }
        throw new InvalidOperationException($"The Cosmos test server did not start: {await _cosmos.StandardError.ReadToEndAsync()}");
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}

public sealed class CosmosOutageTests : IAsyncLifetime
{
    private readonly CosmosOutageHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task With_Cosmos_down_the_API_answers_503_DEPENDENCY_UNAVAILABLE()
    {
        var tenant = Guid.NewGuid().ToString();
        using var client = _host.ClientFor(tenant);
        client.Timeout = TimeSpan.FromSeconds(60);
        var task = await Seed.TaskAsync(_host, tenant);
        await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/sync/tasks/{task.Id}"));

        _host.KillCosmos();

        await ApiAssert.ErrorAsync(await client.GetAsync($"/api/v1/sync/tasks/{task.Id}"), HttpStatusCode.ServiceUnavailable, "DEPENDENCY_UNAVAILABLE");
        await ApiAssert.ErrorAsync(await client.GetAsync("/api/v1/sync/tasks"), HttpStatusCode.ServiceUnavailable, "DEPENDENCY_UNAVAILABLE");
        await ApiAssert.ErrorAsync(await client.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId = _host.IntegrationOf(tenant) }),
            HttpStatusCode.ServiceUnavailable, "DEPENDENCY_UNAVAILABLE");
        var ready = await client.GetAsync("/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    [Fact]
    public async Task With_Cosmos_down_readiness_is_503_and_shows_no_exception_text_to_anyone()
    {
        using var anonymous = _host.AnonymousClient();
        using var authenticated = _host.ClientFor(Guid.NewGuid().ToString());

        _host.KillCosmos();
        var open = await anonymous.GetAsync("/health/ready");
        var detailed = await authenticated.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, open.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, detailed.StatusCode);
        var openBody = await open.Content.ReadAsStringAsync();
        var detailedBody = await detailed.Content.ReadAsStringAsync();
        Assert.DoesNotContain("checks", openBody);
        Assert.Contains("Cosmos DB unreachable (", detailedBody);
        Assert.All(new[] { openBody, detailedBody }, body =>
        {
            Assert.DoesNotContain("refused", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("127.0.0.1", body);
        });
    }

    [Fact]
    public async Task With_Cosmos_not_answering_the_API_answers_503_at_its_request_deadline()
    {
        var tenant = Guid.NewGuid().ToString();
        using var client = _host.ClientFor(tenant);
        client.Timeout = TimeSpan.FromSeconds(25);
        var task = await Seed.TaskAsync(_host, tenant);

        _host.FreezeCosmos();

        await ApiAssert.ErrorAsync(await client.GetAsync($"/api/v1/sync/tasks/{task.Id}"), HttpStatusCode.ServiceUnavailable, "DEPENDENCY_UNAVAILABLE");
        await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/sync/tasks/{task.Id}/cancel", null), HttpStatusCode.ServiceUnavailable,
            "DEPENDENCY_UNAVAILABLE");
        var integrationId = _host.IntegrationOf(tenant);
        await ApiAssert.ErrorAsync(await client.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId }), HttpStatusCode.ServiceUnavailable,
            "DEPENDENCY_UNAVAILABLE");

        _host.ThawCosmos();

        var tasks = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/sync/tasks?integrationId={integrationId}&status=pending"));
        Assert.Empty(tasks["items"]!.AsArray());
        Assert.Equal("pending", (await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/sync/tasks/{task.Id}")))["status"]!.GetValue<string>());
    }
}
