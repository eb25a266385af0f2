using Microsoft.Extensions.Configuration;

namespace IntegrationSync.Shared.Configuration.Options;

/// <summary>
/// Deployments beside Castiel peers as they are today. Their shared event consumer refuses event types of four segments
/// or with a hyphen (reference §2.6), so with <see cref="UnmodifiedPeers"/> the fleet publishes only names they accept:
/// every CRM record as its own <c>integration.data.raw</c> (never <c>integration.data.raw.batch</c>), and no
/// <c>integration.token.check-expiring</c> (integration-manager could not receive it). The rest is unchanged; see README.
/// </summary>
public sealed class CompatibilityOptions
{
    public const string Section = "compatibility";

    [ConfigurationKeyName("unmodified_peers")]
    public bool UnmodifiedPeers { get; set; }
}
