using IntegrationSync.CastielPeers.Stubs;

namespace IntegrationSync.TokenRefresher.Tests;

public sealed class FailureStreakFixture : TokenRefresherHarness
{
    public static readonly TimeSpan SingleFlight = TimeSpan.FromSeconds(1);

    protected override IEnumerable<string> RefresherArgs =>
    [
        "--token_refresh:enabled=false",
        $"--token_refresh:single_flight_seconds={SingleFlight.TotalSeconds}",
        "--token_refresh:max_consecutive_failures=3",
        "--token_refresh:transient_retries=1",
        "--token_refresh:retry_base_delay_ms=20",
    ];
}

/// <summary>Consecutive failed refreshes of a connection, counted durably: the integration is put in error at the third.</summary>
public sealed class FailureStreakTests(FailureStreakFixture harness) : IClassFixture<FailureStreakFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_integration_is_put_in_error_at_the_third_consecutive_failure_and_not_before()
    {
        var integrationId = await harness.AddIntegrationAsync(refreshFails: true);
        var connectionId = Guid.NewGuid().ToString();

        for (var failure = 1; failure <= 2; failure++)
        {
            await RefreshAsync(connectionId, integrationId);
            Assert.Equal(failure, harness.RefreshFailed(connectionId).Count);
            Assert.Empty(await harness.IntegrationUpdatesAsync(integrationId));
            Assert.Equal("connected", (await harness.IntegrationAsync(integrationId))["status"]!.GetValue<string>());
        }

        await RefreshAsync(connectionId, integrationId);

        Assert.Equal(3, harness.RefreshFailed(connectionId).Count);
        var update = Assert.Single(await harness.IntegrationUpdatesAsync(integrationId))!.AsObject();
        Assert.Equal("error", update["status"]!.GetValue<string>());
        Assert.Equal("Token refresh failed: integration-manager answered success: false", update["connectionError"]!.GetValue<string>());
        Assert.Equal("error", (await harness.IntegrationAsync(integrationId))["status"]!.GetValue<string>());
        Assert.Equal(3, await harness.RefreshCallsAsync(connectionId));
    }

    [Fact]
    public async Task A_successful_refresh_resets_the_streak()
    {
        var integrationId = await harness.AddIntegrationAsync();
        var connectionId = Guid.NewGuid().ToString();
        bool[] answers = [false, false, true, false, false, false];
        await harness.ScriptRefreshAsync(connectionId, [.. answers.Select(ok => new ScriptedAnswer(Success: ok))]);

        for (var i = 0; i < answers.Length - 1; i++)
        {
            await RefreshAsync(connectionId, integrationId);
            Assert.Empty(await harness.IntegrationUpdatesAsync(integrationId));
        }
        await RefreshAsync(connectionId, integrationId);

        Assert.Single(harness.Refreshed(connectionId));
        Assert.Equal(5, harness.RefreshFailed(connectionId).Count);
        Assert.Single(await harness.IntegrationUpdatesAsync(integrationId));
        Assert.Equal(answers.Length, await harness.RefreshCallsAsync(connectionId));
    }

    [Fact]
    public async Task A_failed_integration_update_is_retried_without_counting_or_announcing_the_failure_again()
    {
        var integrationId = await harness.AddIntegrationAsync(refreshFails: true);
        var connectionId = Guid.NewGuid().ToString();
        await RefreshAsync(connectionId, integrationId);
        await RefreshAsync(connectionId, integrationId);
        // Two attempts per delivery (transient_retries = 1): the first delivery cannot mark the integration.
        await harness.ScriptIntegrationUpdateAsync(integrationId, new ScriptedAnswer(Status: 503), new ScriptedAnswer(Status: 503));

        var third = await harness.RequestRefreshAsync(connectionId, integrationId, harness.TenantId);

        await WaitForAsync(async () => (await harness.IntegrationUpdatesAsync(integrationId)).Count > 0, "integration marked in error");
        await WaitForAsync(() => Task.FromResult(harness.Handled.Count(third) == 2), "second delivery handled");
        Assert.Single(await harness.IntegrationUpdatesAsync(integrationId));
        Assert.Equal(3, harness.RefreshFailed(connectionId).Count);
        Assert.Equal(3, await harness.RefreshCallsAsync(connectionId));
        Assert.Equal("error", (await harness.IntegrationAsync(integrationId))["status"]!.GetValue<string>());
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>One request, handled to the end, then past the single-flight window so that the next one refreshes again.</summary>
    private async Task RefreshAsync(string connectionId, string integrationId)
    {
        var request = await harness.RequestRefreshAsync(connectionId, integrationId, harness.TenantId);
        await harness.Handled.WaitAsync([request], Wait);
        await Task.Delay(FailureStreakFixture.SingleFlight + TimeSpan.FromMilliseconds(100));
    }
}
