using IntegrationSync.Fleet.Tests.Runner;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.Fleet.Tests;

/// <summary>The fleet as configured beside Castiel peers that refuse four-segment and hyphenated event names.</summary>
public sealed class UnmodifiedPeersFleet : FleetHarness
{
    protected override IEnumerable<string> ExtraArgs => ["--compatibility:unmodified_peers=true", "--sync_limits:min_interval_minutes=0"];
}

public sealed class CompatibilityTests(UnmodifiedPeersFleet fleet) : IClassFixture<UnmodifiedPeersFleet>
{
    [Fact]
    public async Task Beside_unmodified_peers_a_large_sync_goes_out_as_single_raw_events_only_and_completes()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 250, pageSize: 100);
        var taskId = await fleet.TriggerAsync(integrationId);

        await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);
        var completed = await fleet.CompletedAsync(taskId);

        Assert.Equal(250, completed.RecordsProcessed);
        var singles = fleet.Wire.OfType(EventNames.DataRaw).Select(m => m.Data<DataRaw>()).Where(r => r.SyncTaskId == taskId).ToList();
        Assert.Equal(250, singles.Select(r => r.ExternalId).Distinct().Count());
        Assert.DoesNotContain(fleet.Wire.Messages, m => m.Envelope.Type == EventNames.DataRawBatch);
        // Every name on the wire passes the peers' validator: three segments of lowercase letters and underscores.
        Assert.All(fleet.Wire.Messages.Where(m => m.Envelope.Type is not EventNames.DataMapped and not EventNames.DataMappingFailed),
            m => Assert.Matches("^[a-z_]+\\.[a-z_]+\\.[a-z_]+$", m.Envelope.Type));
        Assert.DoesNotContain(fleet.Wire.Messages, m => m.Envelope.Type == EventNames.TokenCheckExpiring);
    }
}
