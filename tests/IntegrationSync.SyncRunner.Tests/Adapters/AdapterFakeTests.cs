using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Tests.Fakes;
using IntegrationSync.TestSupport.VendorFakes;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.SyncRunner.Tests.Adapters;

/// <summary>An adapter as the runner registers it (<see cref="AdapterServices"/>) and its vendor's fake, started and stopped with each test.</summary>
public abstract class AdapterFakeTests<TFake, TAdapter> : IAsyncLifetime where TFake : IVendorFake where TAdapter : ISyncAdapter
{
    protected TFake Fake { get; private set; } = default!;
    protected ServiceProvider Services { get; private set; } = null!;
    protected TAdapter Adapter => Services.Adapter<TAdapter>();

    protected abstract Task<TFake> StartFakeAsync();

    /// <summary>The services the tests' <see cref="Adapter"/> comes from.</summary>
    protected virtual ServiceProvider Build() => AdapterServices.Build();

    public async Task InitializeAsync()
    {
        Fake = await StartFakeAsync();
        Services = Build();
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
