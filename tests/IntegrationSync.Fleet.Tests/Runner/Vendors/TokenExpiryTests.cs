using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Sync;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.Fleet.Tests.Runner.Vendors;

/// <summary>
/// A 401 mid-run goes the whole way round: the runner asks for a refresh, token-refresher calls integration-manager,
/// which stores the new token in secret-management, where the runner picks it up and retries once.
/// </summary>
[Collection(VendorFleet.Collection)]
public sealed class TokenExpiryTests(VendorFleet fleet)
{
    [Fact]
    public async Task A_Salesforce_session_that_expires_mid_run_is_refreshed_and_the_run_completes_with_every_record_once()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        salesforce.DefaultBatchSize = 10;
        var opportunities = salesforce.Seed(45);
        salesforce.Faults.TokenExpiresAfterCalls = 2;
        salesforce.Faults.RefreshedToken = "refreshed-session";
        var integrationId = await fleet.AddSalesforceAsync(salesforce);
        await fleet.RefreshWillStoreAsync(integrationId, VendorIntegrations.SalesforceCredentials(salesforce, "refreshed-session"));

        var taskId = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);

        Assert.Equal(opportunities.Order(), fleet.PublishedIds(taskId).Order());
        Assert.Equal(1, salesforce.Faults.Rejected401);
        Assert.Equal([integrationId], RefreshRequestsFor(integrationId).Select(r => r.ConnectionId));
        Assert.Contains(fleet.Wire.OfType(EventNames.TokenRefreshed), m => m.Data<TokenRefreshed>().IntegrationId == integrationId);
        Assert.Equal(1, await RefreshCallsAsync(integrationId));
        Assert.Equal(45, (await fleet.CompletedAsync(taskId)).RecordsProcessed);
        Assert.Equal(1, (await fleet.ExecutionAsync(taskId)).Attempt);
    }

    [Fact]
    public async Task A_HubSpot_401_that_persists_after_the_refresh_fails_the_run_at_once_telling_to_reconnect()
    {
        await using var hubspot = await FakeHubSpot.StartAsync();
        hubspot.Seed(25);
        // The app was uninstalled: the token dies after the first page and what the refresh hands out is refused too.
        hubspot.Faults.TokenExpiresAfterCalls = 1;
        var integrationId = await fleet.AddHubSpotAsync(hubspot, pageSize: 10);
        await fleet.RefreshWillStoreAsync(integrationId, new JsonObject { ["accessToken"] = "refreshed-but-revoked" });

        var taskId = await fleet.TriggerAsync(integrationId);
        var task = await fleet.WaitForTaskAsync(taskId, SyncStatus.Failed, FleetRuns.Wait);

        var failed = await fleet.FailedAsync(taskId);
        Assert.Equal("AUTH_EXPIRED", failed.ErrorCode);
        Assert.Contains("reconnect", failed.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(failed.Error, task["error"]!.GetValue<string>());
        // One page, one 401 with the old token, one refresh, one 401 with the new token, and nothing more.
        Assert.Equal((3, 2), (hubspot.Faults.Requests.Count, hubspot.Faults.Rejected401));
        Assert.Single(RefreshRequestsFor(integrationId));
        Assert.Equal(1, await RefreshCallsAsync(integrationId));
        var execution = await fleet.ExecutionAsync(taskId);
        Assert.Equal((SyncStatus.Failed, 1, "AUTH_EXPIRED"), (execution.Status, execution.Attempt, execution.ErrorCode));
        Assert.Single(fleet.Wire.OfType(EventNames.SyncStarted), m => m.Data<SyncStarted>().TaskId == taskId);
    }

    [Fact]
    public async Task A_refresh_that_fails_fails_the_run_at_once_with_the_refresh_error_telling_to_reconnect()
    {
        await using var hubspot = await FakeHubSpot.StartAsync();
        hubspot.Seed(25);
        hubspot.Faults.TokenExpiresAfterCalls = 1;
        var integrationId = await fleet.AddHubSpotAsync(hubspot, pageSize: 10);
        await fleet.RefreshWillFailAsync(integrationId, "invalid_grant: the refresh token was revoked");

        var taskId = await fleet.TriggerAsync(integrationId);
        var failed = await fleet.FailedAsync(taskId);

        Assert.Equal("AUTH_EXPIRED", failed.ErrorCode);
        // The refresh's own error, not the end of runner.auth_refresh_wait_seconds.
        Assert.Contains("the token refresh failed (integration-manager answered 400 BadRequest: invalid_grant: the refresh token was revoked)", failed.Error);
        Assert.Contains("reconnect the integration", failed.Error);
        Assert.Contains(fleet.Wire.OfType(EventNames.TokenRefreshFailed), m => m.Data<TokenRefreshFailed>().IntegrationId == integrationId);
        Assert.Equal((2, 1), (hubspot.Faults.Requests.Count, hubspot.Faults.Rejected401));
        var execution = await fleet.ExecutionAsync(taskId);
        Assert.Equal((SyncStatus.Failed, 1, "AUTH_EXPIRED"), (execution.Status, execution.Attempt, execution.ErrorCode));
    }

    private List<TokenRefreshRequested> RefreshRequestsFor(string integrationId) =>
        fleet.Wire.OfType(EventNames.TokenRefreshRequested).Select(m => m.Data<TokenRefreshRequested>()).Where(r => r.IntegrationId == integrationId).ToList();

    private async Task<int> RefreshCallsAsync(string connectionId) =>
        (await fleet.Peers.GetFromJsonAsync<JsonObject>($"/_peers/refresh-calls/{connectionId}"))!["calls"]!.GetValue<int>();
}
