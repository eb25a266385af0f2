using IntegrationSync.Shared.Adapters;

namespace IntegrationSync.SyncRunner.Adapters;

/// <summary>
/// The adapter for an integration's <c>providerName</c>. A provider without a built-in adapter (<c>""</c>,
/// <c>google_workspace</c>, …) is read through integration-manager's <c>/fetch</c>, which runs the provider's adapter
/// there, as the original delegated every sync (reference §5.9).
/// </summary>
public sealed class AdapterRegistry(IEnumerable<ISyncAdapter> adapters)
{
    private readonly Dictionary<string, ISyncAdapter> _byName =
        adapters.ToDictionary(a => a.Descriptor.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Never null: the built-in adapter of the provider, else the integration-manager delegation.</summary>
    public ISyncAdapter Find(string? providerName) =>
        _byName.GetValueOrDefault(AdapterCatalog.For(providerName).Name) ?? _byName[AdapterCatalog.IntegrationManager.Name];

    public IReadOnlyCollection<string> Names => _byName.Keys;
}
