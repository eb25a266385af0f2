using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.Shared.Configuration.Options;

public sealed class PeerServicesOptions
{
    public const string Section = "services";

    [ConfigurationKeyName("integration_manager"), Required]
    public PeerService IntegrationManager { get; set; } = new() { Url = "http://localhost:3026" };

    [ConfigurationKeyName("secret_management"), Required]
    public PeerService SecretManagement { get; set; } = new() { Url = "http://localhost:3003" };

    [ConfigurationKeyName("shard_manager"), Required]
    public PeerService ShardManager { get; set; } = new() { Url = "http://localhost:3023" };
}

public sealed class PeerService
{
    [ConfigurationKeyName("url"), Required, Url]
    public string Url { get; set; } = "";

    [ConfigurationKeyName("timeout_seconds"), Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;
}
