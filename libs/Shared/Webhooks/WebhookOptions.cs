using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.Shared.Webhooks;

/// <summary>Section <c>webhooks</c>: registrations (sync-api), outbound delivery (event-consumer), inbound notifications (sync-api).</summary>
public sealed class WebhookOptions
{
    public const string Section = "webhooks";

    /// <summary>Accept <c>http://</c> webhook URLs (local development only); otherwise only absolute https URLs.</summary>
    [ConfigurationKeyName("allow_http")]
    public bool AllowHttp { get; set; }

    /// <summary>After a secret rotation, deliveries are signed with the old secret too for this long.</summary>
    [ConfigurationKeyName("secret_rotation_overlap_seconds"), Range(0, 30 * 86_400)]
    public int SecretRotationOverlapSeconds { get; set; } = 86_400;

    [ConfigurationKeyName("delivery"), Required]
    public WebhookDeliveryOptions Delivery { get; set; } = new();

    [ConfigurationKeyName("inbound"), Required]
    public InboundWebhookOptions Inbound { get; set; } = new();
}
