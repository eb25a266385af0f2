namespace IntegrationSync.SyncRunner.Adapters;

public sealed class AdapterRegistry(IEnumerable<ISyncAdapter> adapters)
{
    private readonly Dictionary<string, ISyncAdapter> _byName =
        adapters.ToDictionary(a => a.Descriptor.Name, StringComparer.OrdinalIgnoreCase);

    public ISyncAdapter? Find(string? providerName) =>
        providerName is not null && _byName.TryGetValue(providerName, out var adapter) ? adapter : null;

    public IReadOnlyCollection<string> Names => _byName.Keys;
}
