using System.Text;
using IntegrationSync.CastielPeers.Stubs;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;

namespace IntegrationSync.TokenRefresher.Tests;

public sealed class RefreshChainFixture : TokenRefresherHarness
{
    protected override IEnumerable<string> RefresherArgs =>
    [
        "--token_refresh:enabled=false",
        "--token_refresh:transient_retries=2",
        "--token_refresh:retry_base_delay_ms=20",
        "--token_refresh:retry_max_delay_ms=100",
        "--services:integration_manager:timeout_seconds=1",
    ];
}

/// <summary>One refresher against the integration-manager stand-in: each answer of the refresh route and what it leads to.</summary>
public sealed class RefreshChainTests(RefreshChainFixture harness) : IClassFixture<RefreshChainFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_successful_refresh_is_announced_as_refreshed()
    {
        var integrationId = await harness.AddIntegrationAsync();
        var connectionId = Guid.NewGuid().ToString();

        var request = await harness.RequestRefreshAsync(connectionId, integrationId, harness.TenantId);

        await harness.Wire.WaitUntilAsync(_ => harness.Refreshed(connectionId).Count > 0, Wait, "token.refreshed");
        await harness.Handled.WaitAsync([request], Wait);
        var refreshed = harness.Wire.OfType(EventNames.TokenRefreshed).Single(m => m.Data<TokenRefreshed>().ConnectionId == connectionId);
        var data = refreshed.Data<TokenRefreshed>();
        Assert.Equal(integrationId, data.IntegrationId);
        Assert.NotNull(IsoTime.Parse(data.RefreshedAt));
        Assert.Equal(harness.TenantId, refreshed.Envelope.TenantId);
        Assert.Equal(1, await harness.RefreshCallsAsync(connectionId));
        Assert.Empty(harness.RefreshFailed(connectionId));
    }

    [Fact]
    public async Task Success_false_is_announced_as_refresh_failed_without_touching_the_integration()
    {
        var integrationId = await harness.AddIntegrationAsync(refreshFails: true);
        var connectionId = Guid.NewGuid().ToString();

        var request = await harness.RequestRefreshAsync(connectionId, integrationId, harness.TenantId);

        await harness.Wire.WaitUntilAsync(_ => harness.RefreshFailed(connectionId).Count > 0, Wait, "token.refresh.failed");
        await harness.Handled.WaitAsync([request], Wait);
        var failed = Assert.Single(harness.RefreshFailed(connectionId));
        Assert.Equal(integrationId, failed.IntegrationId);
        Assert.Contains("success: false", failed.Error);
        Assert.NotNull(IsoTime.Parse(failed.FailedAt));
        Assert.Empty(harness.Refreshed(connectionId));
        Assert.Equal(1, await harness.RefreshCallsAsync(connectionId));
        Assert.Empty(await harness.IntegrationUpdatesAsync(integrationId));
    }

    [Fact]
    public async Task A_client_error_is_a_failed_refresh_and_is_not_retried()
    {
        var integrationId = await harness.AddIntegrationAsync();
        var connectionId = Guid.NewGuid().ToString();
        await harness.ScriptRefreshAsync(connectionId, new ScriptedAnswer(Status: 400, Error: "invalid_grant"));

        var request = await harness.RequestRefreshAsync(connectionId, integrationId, harness.TenantId);

        await harness.Wire.WaitUntilAsync(_ => harness.RefreshFailed(connectionId).Count > 0, Wait, "token.refresh.failed");
        await harness.Handled.WaitAsync([request], Wait);
        var failed = Assert.Single(harness.RefreshFailed(connectionId));
        Assert.Contains("400", failed.Error);
        Assert.Contains("invalid_grant", failed.Error);
        Assert.Equal(1, await harness.RefreshCallsAsync(connectionId));
        Assert.Empty(harness.Refreshed(connectionId));
    }

    [Fact]
    public async Task Server_errors_then_success_are_retried_and_refresh_once()
    {
        var integrationId = await harness.AddIntegrationAsync();
        var connectionId = Guid.NewGuid().ToString();
        await harness.ScriptRefreshAsync(connectionId, new ScriptedAnswer(Status: 503), new ScriptedAnswer(Status: 500));

        var request = await harness.RequestRefreshAsync(connectionId, integrationId, harness.TenantId);

        await harness.Wire.WaitUntilAsync(_ => harness.Refreshed(connectionId).Count > 0, Wait, "token.refreshed");
        await harness.Handled.WaitAsync([request], Wait);
        Assert.Single(harness.Refreshed(connectionId));
        Assert.Empty(harness.RefreshFailed(connectionId));
        Assert.Equal(3, await harness.RefreshCallsAsync(connectionId));
        Assert.Equal(1, harness.Handled.Count(request));
    }

    [Fact]
    public async Task A_slow_answer_is_abandoned_at_the_timeout_and_retried()
    {
        var integrationId = await harness.AddIntegrationAsync();
        var connectionId = Guid.NewGuid().ToString();
        await harness.ScriptRefreshAsync(connectionId, new ScriptedAnswer(Success: false, DelayMs: 5_000));

        var request = await harness.RequestRefreshAsync(connectionId, integrationId, harness.TenantId);

        await harness.Wire.WaitUntilAsync(_ => harness.Refreshed(connectionId).Count > 0, Wait, "token.refreshed");
        await harness.Handled.WaitAsync([request], Wait);
        Assert.Single(harness.Refreshed(connectionId));
        // The slow answer would have been success:false; it was never read.
        Assert.Empty(harness.RefreshFailed(connectionId));
        Assert.Equal(2, await harness.RefreshCallsAsync(connectionId));
    }

    [Fact]
    public async Task Transient_failures_outlasting_one_delivery_go_through_the_retry_queue_and_refresh_once()
    {
        var integrationId = await harness.AddIntegrationAsync();
        var connectionId = Guid.NewGuid().ToString();
        // Three attempts per delivery (transient_retries = 2): the first delivery fails, the second succeeds at its third call.
        await harness.ScriptRefreshAsync(connectionId, [.. Enumerable.Repeat(new ScriptedAnswer(Status: 503), 5)]);

        var request = await harness.RequestRefreshAsync(connectionId, integrationId, harness.TenantId);

        await harness.Wire.WaitUntilAsync(_ => harness.Refreshed(connectionId).Count > 0, Wait, "token.refreshed");
        await WaitForAsync(() => harness.Handled.Count(request) >= 2, "second delivery handled");
        Assert.Single(harness.Refreshed(connectionId));
        Assert.Empty(harness.RefreshFailed(connectionId));
        Assert.Equal(6, await harness.RefreshCallsAsync(connectionId));
        Assert.Equal(2, harness.Handled.Count(request));
    }

    [Fact]
    public async Task Persistent_server_errors_park_the_request_without_a_failure_event_or_an_integration_error()
    {
        var integrationId = await harness.AddIntegrationAsync();
        var connectionId = Guid.NewGuid().ToString();
        await harness.ScriptRefreshAsync(connectionId, [.. Enumerable.Repeat(new ScriptedAnswer(Status: 502), 100)]);

        var request = await harness.RequestRefreshAsync(connectionId, integrationId, harness.TenantId);

        var parked = Assert.Single(await harness.TakeParkedAsync(m => m.BasicProperties.MessageId == request, 1, Wait));
        Assert.Contains("502", Encoding.UTF8.GetString((byte[])parked.BasicProperties.Headers![MessageHeaders.LastError]!));
        // One delivery and three retries (rabbitmq.retry_delays_ms), three calls each.
        Assert.Equal(12, await harness.RefreshCallsAsync(connectionId));
        Assert.Empty(harness.RefreshFailed(connectionId));
        Assert.Empty(harness.Refreshed(connectionId));
        Assert.Empty(await harness.IntegrationUpdatesAsync(integrationId));
    }

    [Fact]
    public async Task A_request_delivered_twice_is_refreshed_and_announced_once()
    {
        var integrationId = await harness.AddIntegrationAsync();
        var connectionId = Guid.NewGuid().ToString();
        var request = await harness.RequestRefreshAsync(connectionId, integrationId, harness.TenantId);
        await harness.Wire.WaitUntilAsync(_ => harness.Refreshed(connectionId).Count > 0, Wait, "token.refreshed");
        await harness.Handled.WaitAsync([request], Wait);

        await harness.RequestRefreshAsync(connectionId, integrationId, harness.TenantId, messageId: request);

        await WaitForAsync(() => harness.Handled.Count(request) == 2, "second delivery handled");
        Assert.Single(harness.Refreshed(connectionId));
        Assert.Equal(1, await harness.RefreshCallsAsync(connectionId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("system")]
    public async Task The_tenant_comes_from_the_payload_when_the_envelope_has_none(string envelopeTenant)
    {
        var integrationId = await harness.AddIntegrationAsync();
        var connectionId = Guid.NewGuid().ToString();

        await harness.RequestRefreshAsync(connectionId, integrationId, envelopeTenant, dataTenant: harness.TenantId);

        // The stand-in answers success only when X-Tenant-ID is the integration's tenant.
        await harness.Wire.WaitUntilAsync(_ => harness.Refreshed(connectionId).Count > 0, Wait, "token.refreshed");
        var refreshed = harness.Wire.OfType(EventNames.TokenRefreshed).Single(m => m.Data<TokenRefreshed>().ConnectionId == connectionId);
        Assert.Equal(harness.TenantId, refreshed.Envelope.TenantId);
    }

    [Fact]
    public async Task Requests_without_a_connection_an_integration_or_a_tenant_are_parked_without_a_call()
    {
        var integrationId = await harness.AddIntegrationAsync();
        var connectionId = Guid.NewGuid().ToString();

        var requests = new[]
        {
            await harness.RequestRefreshAsync(null, integrationId, harness.TenantId),
            await harness.RequestRefreshAsync(connectionId, null, harness.TenantId),
            await harness.RequestRefreshAsync(connectionId, integrationId, "system", dataTenant: null),
        };

        var parked = await harness.TakeParkedAsync(m => requests.Contains(m.BasicProperties.MessageId), 3, Wait);
        Assert.Equal(requests.Order(), parked.Select(m => m.BasicProperties.MessageId!).Order());
        var errors = parked.ToDictionary(m => m.BasicProperties.MessageId!, m => Encoding.UTF8.GetString((byte[])m.BasicProperties.Headers![MessageHeaders.LastError]!));
        Assert.Contains("data.connectionId", errors[requests[0]]);
        Assert.Contains("data.integrationId", errors[requests[1]]);
        Assert.Contains("no tenant", errors[requests[2]]);
        Assert.All(parked, m => Assert.Equal(0, HeaderValue.AsInt(m.BasicProperties.Headers![MessageHeaders.RetryCount])));
        Assert.Equal(0, await harness.RefreshCallsAsync(connectionId));
        Assert.Empty(harness.RefreshFailed(connectionId));
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}");
            }
            await Task.Delay(20);
        }
    }
}
