using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Sync;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.Fleet.Tests.Runner.Vendors;

/// <summary>What no retry can fix fails the run at once, saying what to change, without spending attempts or vendor calls.</summary>
[Collection(VendorFleet.Collection)]
public sealed class ConfigurationErrorTests(VendorFleet fleet)
{
    [Fact]
    public async Task A_HubSpot_403_for_a_missing_scope_fails_the_run_at_once_naming_the_permission_to_grant()
    {
        await using var hubspot = await FakeHubSpot.StartAsync();
        hubspot.Seed(5);
        hubspot.Faults.Script(403);
        var integrationId = await fleet.AddHubSpotAsync(hubspot, pageSize: 10);

        var taskId = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(taskId, SyncStatus.Failed, FleetRuns.Wait);

        var failed = await fleet.FailedAsync(taskId);
        Assert.Equal("ADAPTER_CONFIGURATION", failed.ErrorCode);
        Assert.Contains("lack permission", failed.Error);
        Assert.Contains("crm.objects.deals.read", failed.Error);
        AssertFailedAtOnce(taskId, integrationId, await fleet.ExecutionAsync(taskId));
        Assert.Single(hubspot.Faults.Requests);
    }

    [Fact]
    public async Task A_Salesforce_integration_whose_credential_secret_is_gone_fails_at_once_asking_to_reconnect()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        salesforce.Seed(5);
        var integrationId = await fleet.AddIntegrationAsync("salesforce", new() { ["instanceUrl"] = salesforce.InstanceUrl },
            credentialSecretName: $"deleted-{Guid.NewGuid():N}");

        var taskId = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(taskId, SyncStatus.Failed, FleetRuns.Wait);

        var failed = await fleet.FailedAsync(taskId);
        Assert.Equal("ADAPTER_CONFIGURATION", failed.ErrorCode);
        Assert.Contains("reconnect the integration", failed.Error);
        AssertFailedAtOnce(taskId, integrationId, await fleet.ExecutionAsync(taskId));
        Assert.Empty(salesforce.Faults.Requests);
    }

    private void AssertFailedAtOnce(string taskId, string integrationId, ExecutionDocument execution)
    {
        Assert.Equal((SyncStatus.Failed, 1, 0), (execution.Status, execution.Attempt, execution.RecordsPublished));
        Assert.Single(fleet.Wire.OfType(EventNames.SyncStarted), m => m.Data<SyncStarted>().TaskId == taskId);
        Assert.DoesNotContain(fleet.Wire.OfType(EventNames.TokenRefreshRequested), m => m.Data<TokenRefreshRequested>().IntegrationId == integrationId);
    }
}
