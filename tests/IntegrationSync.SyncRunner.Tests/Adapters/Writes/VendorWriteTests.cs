using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Tests.Fakes;
using IntegrationSync.TestSupport.VendorFakes;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.SyncRunner.Tests.Adapters.Writes;

/// <summary>An adapter's write paths against its vendor fake (the read paths have <see cref="AdapterContractTests{TFake,TAdapter}"/>).</summary>
public abstract class VendorWriteTests<TFake, TAdapter> : IAsyncLifetime where TFake : IVendorFake where TAdapter : ISyncAdapter
{
    protected TFake Fake { get; private set; } = default!;
    protected ServiceProvider Services { get; private set; } = null!;
    protected TAdapter Adapter { get; private set; } = default!;

    protected abstract Task<TFake> StartFakeAsync();

    public async Task InitializeAsync()
    {
        Fake = await StartFakeAsync();
        Services = AdapterServices.Build();
        Adapter = Services.Adapter<TAdapter>();
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await Fake.DisposeAsync();
    }

    protected Task<WriteResult> WriteAsync(AdapterConnection connection, string entityType, string? externalId, System.Text.Json.Nodes.JsonObject fields,
        string? expectedVersion = null, string? upsertKey = null, string? writerTag = null) =>
        Adapter.WriteAsync(new AdapterWriteRequest(connection, entityType, externalId, fields, expectedVersion, upsertKey, writerTag), CancellationToken.None);

    protected Task<SourceRecord?> ReadAsync(AdapterConnection connection, string entityType, string externalId) =>
        Adapter.ReadOneAsync(new AdapterRecordRequest(connection, entityType, externalId), CancellationToken.None);

    protected Task DeleteAsync(AdapterConnection connection, string entityType, string externalId, string? expectedVersion = null) =>
        Adapter.DeleteAsync(new AdapterRecordRequest(connection, entityType, externalId), expectedVersion, CancellationToken.None);
}
