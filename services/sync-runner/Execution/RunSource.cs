using IntegrationSync.Shared.Peers;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Publishing;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>What a run reads from: its integration (integration-manager), the adapter of its provider, and its credentials.</summary>
public sealed class RunSource(IntegrationManagerClient integrationManager, AdapterRegistry adapters, AdapterConnectionResolver connections)
{
    public Task<(IntegrationDescriptor Integration, ISyncAdapter Adapter, AdapterConnection Connection)> OpenAsync(
        RunContext run, CancellationToken cancellationToken) =>
        OpenAsync(run.TenantId, run.IntegrationId, cancellationToken);

    public async Task<(IntegrationDescriptor Integration, ISyncAdapter Adapter, AdapterConnection Connection)> OpenAsync(
        string tenantId, string integrationId, CancellationToken cancellationToken)
    {
        // Found for the run's tenant only: an answer naming another tenant is no integration of this one.
        var lookup = await integrationManager.FindAsync(tenantId, integrationId, cancellationToken);
        var integration = lookup.Integration ?? throw new SyncFailure("INTEGRATION_NOT_FOUND", lookup.Problem!);
        // A provider the fleet has no adapter for is read through integration-manager's /fetch, as the original did.
        var adapter = adapters.Find(integration.ProviderName);
        return (integration, adapter, await connections.ResolveAsync(tenantId, integration, cancellationToken));
    }
}
