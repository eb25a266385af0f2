using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.HubSpot;
using IntegrationSync.SyncRunner.Adapters.IntegrationManager;
using IntegrationSync.SyncRunner.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.SyncRunner.Tests.Adapters;

public sealed class AdapterRegistryTests : IAsyncLifetime
{
    private ServiceProvider _services = null!;

    public Task InitializeAsync()
    {
        _services = AdapterServices.Build();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("google_workspace")]
    [InlineData("zendesk")]
    public void A_provider_without_a_built_in_adapter_is_read_through_integration_managers_fetch(string? provider) =>
        Assert.IsType<IntegrationManagerAdapter>(_services.GetRequiredService<AdapterRegistry>().Find(provider));

    [Theory]
    [InlineData("hubspot")]
    [InlineData("HubSpot")]
    public void A_provider_with_a_built_in_adapter_gets_it(string provider) =>
        Assert.IsType<HubSpotAdapter>(_services.GetRequiredService<AdapterRegistry>().Find(provider));
}
