namespace IntegrationSync.Shared.Configuration;

public static class ConfigKey
{
    /// <summary><c>sync_limits:max_records_per_sync</c> → <c>sync_limits.max_records_per_sync</c>, the form the docs use.</summary>
    public static string ToDotted(string key) => key.Replace(':', '.');
}
