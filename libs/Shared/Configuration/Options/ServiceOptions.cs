using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.Shared.Configuration.Options;

public sealed class ServiceOptions
{
    public const string Section = "service";

    /// <summary>Envelope <c>source.service</c> and AMQP <c>appId</c>; each host supplies its default.</summary>
    [ConfigurationKeyName("name")]
    public string? Name { get; set; }
}

public sealed class ServerOptions
{
    public const string Section = "server";

    [ConfigurationKeyName("port"), Range(0, 65535)]
    public int Port { get; set; } = 3052;

    [ConfigurationKeyName("host"), Required]
    public string Host { get; set; } = "0.0.0.0";
}
