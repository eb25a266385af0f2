using Microsoft.Extensions.Configuration;

namespace IntegrationSync.Shared.Webhooks;

public sealed class WebhookOptions
{
    public const string Section = "webhooks";

    /// <summary>Accept <c>http://</c> webhook URLs (local development only); otherwise only absolute https URLs.</summary>
    [ConfigurationKeyName("allow_http")]
    public bool AllowHttp { get; set; }
}
