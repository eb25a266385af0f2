using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntegrationSync.Fleet.Tests.Runner.Vendors;
using IntegrationSync.Shared.Sync;
using IntegrationSync.TestSupport;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.Fleet.Tests.Runner;

/// <summary>
/// Every host's log output (JSON lines on the console, captured here at the most verbose level) while the fleet runs a
/// vendor sync, a run the vendor refuses with an error body, and a run whose paging link leads elsewhere with a token
/// in it. The logs, and the API's answers about those runs, must carry no secret, token, credential or record value.
/// </summary>
public sealed class LeakScanFleet : FleetHarness
{
    protected override IEnumerable<string> ExtraArgs =>
        ["--logging:level=Verbose", "--sync_limits:min_interval_minutes=0", "--adapter_http:retry_delay_ms=20", .. VendorFleet.VendorFakeAccess];
}

/// <summary>Writes to the real console and into a capture.</summary>
internal sealed class ConsoleTee(TextWriter console) : TextWriter
{
    private readonly StringBuilder _captured = new();

    public override Encoding Encoding => console.Encoding;

    public string Captured
    {
        get
        {
            lock (_captured)
            {
                return _captured.ToString();
            }
        }
    }

    public override void Write(char value)
    {
        console.Write(value);
        lock (_captured)
        {
            _captured.Append(value);
        }
    }

    public override void Write(string? value)
    {
        console.Write(value);
        lock (_captured)
        {
            _captured.Append(value);
        }
    }
}

public sealed partial class LogLeakTests : IAsyncLifetime
{
    private readonly TextWriter _console = Console.Out;
    private readonly ConsoleTee _logs;
    private readonly LeakScanFleet _fleet = new();
    private readonly string _apiKey = $"leak-apikey-{Guid.NewGuid():N}";
    private readonly string _recordValue = $"leak-record-{Guid.NewGuid():N}";
    private readonly string _bodyCanary = $"leak-body-{Guid.NewGuid():N}";
    private readonly string _linkToken = $"leak-link-{Guid.NewGuid():N}";

    public LogLeakTests()
    {
        _logs = new ConsoleTee(_console);
    }

    /// <summary>The capture starts before the hosts are built, so it sees everything they log.</summary>
    public Task InitializeAsync()
    {
        Console.SetOut(TextWriter.Synchronized(_logs));
        return _fleet.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _fleet.DisposeAsync();
        Console.SetOut(_console);
    }

    [Fact]
    public async Task Logs_and_run_errors_carry_no_secret_token_credential_body_or_record_value()
    {
        await using var vendor = await FakeRestApi.StartAsync();
        await using var elsewhere = await FakeRestApi.StartAsync();
        vendor.Faults.ValidToken = _apiKey;
        for (var i = 0; i < 12; i++)
        {
            vendor.Add(new JsonObject { ["name"] = $"{_recordValue}-{i}", ["email"] = $"{_recordValue}-{i}@example.com" });
        }
        var secret = $"rest-{Guid.NewGuid():N}";
        await _fleet.SetSecretAsync(secret, new JsonObject { ["apiKey"] = _apiKey });

        var synced = await RunAsync(await AddRestAsync(vendor, "cursor", secret), SyncStatus.Completed);

        vendor.Faults.ErrorBody = _ => $$"""{"error":{"code":"BAD_FILTER","message":"no"},"echo":"{{_bodyCanary}} {{_apiKey}}"}""";
        vendor.Faults.Script(400);
        var refused = await RunAsync(await AddRestAsync(vendor, "cursor", secret), SyncStatus.Failed);

        vendor.NextLinkBase = $"{elsewhere.BaseUrl}/x?access_token={_linkToken}#";
        var redirected = await RunAsync(await AddRestAsync(vendor, "next_link", secret), SyncStatus.Failed);

        Assert.Equal(12, _fleet.PublishedIds(synced).Count);
        Assert.Empty(elsewhere.Faults.Requests);
        var answers = new StringBuilder();
        foreach (var taskId in new[] { synced, refused, redirected })
        {
            answers.Append(await _fleet.Api.GetStringAsync($"/api/v1/sync/tasks/{taskId}"));
            answers.Append(await _fleet.Api.GetStringAsync($"/api/v1/sync/tasks/{taskId}/executions"));
        }
        Assert.Contains("BAD_FILTER", answers.ToString());
        Assert.Contains("paging link", answers.ToString());
        AssertClean("API answers", answers.ToString());

        var logs = _logs.Captured;
        Assert.Contains(refused, logs);
        Assert.Contains("BAD_FILTER", logs);
        AssertClean("host logs", logs);
    }

    private void AssertClean(string where, string text)
    {
        var bearer = _fleet.Api.DefaultRequestHeaders.Authorization!.Parameter!;
        var secrets = new Dictionary<string, string>
        {
            ["the JWT secret"] = TestInfrastructure.JwtSecret,
            ["the API caller's bearer token"] = bearer,
            ["the vendor credential"] = _apiKey,
            ["a record value"] = _recordValue,
            ["the vendor's error body"] = _bodyCanary,
            ["a token in a paging link"] = _linkToken,
        };
        foreach (var (what, value) in secrets)
        {
            Assert.False(text.Contains(value, StringComparison.Ordinal), $"{where} contain {what}");
        }
        Assert.False(Jwt().IsMatch(text), $"{where} contain a JWT: {Jwt().Match(text).Value[..Math.Min(40, Jwt().Match(text).Length)]}…");
    }

    private async Task<string> AddRestAsync(FakeRestApi vendor, string paging, string secret) =>
        await _fleet.AddIntegrationAsync("rest", paging == "cursor"
            ? new JsonObject
            {
                ["url"] = $"{vendor.BaseUrl}/cursor/items", ["authHeader"] = "X-Api-Key", ["authScheme"] = "", ["recordsPath"] = "data.items",
                ["paging"] = "cursor", ["cursorParam"] = "after", ["cursorPath"] = "meta.next",
            }
            : new JsonObject
            {
                ["url"] = $"{vendor.BaseUrl}/linked/items", ["authHeader"] = "X-Api-Key", ["authScheme"] = "", ["recordsPath"] = "items",
                ["paging"] = "next_link", ["nextLinkPath"] = "links.next",
            }, secret);

    private async Task<string> RunAsync(string integrationId, string status)
    {
        var taskId = await _fleet.TriggerAsync(integrationId);
        await _fleet.WaitForTaskAsync(taskId, status, FleetRuns.Wait);
        if (status == SyncStatus.Completed)
        {
            await _fleet.CompletedAsync(taskId);
        }
        return taskId;
    }

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}")]
    private static partial Regex Jwt();
}
