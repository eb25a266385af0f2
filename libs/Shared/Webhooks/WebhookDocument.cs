using System.Text.Json.Serialization;
using IntegrationSync.Shared.Storage;

namespace IntegrationSync.Shared.Webhooks;

/// <summary>
/// An outbound webhook registration (container <c>integration_webhooks</c>, reference §3.5). The secret is kept so
/// deliveries can sign with it and is never shown after creation or rotation. integration-manager writes its own shape
/// into the same container (<c>webhookUrl</c>, <c>webhookSecret</c>, <c>isActive</c>): every field is optional and the
/// <c>Effective*</c> members read either shape.
/// </summary>
public sealed record WebhookDocument : CosmosDocument
{
    public const string DocType = "webhook";

    public override string Type { get; init; } = DocType;

    public string? WebhookId { get; init; }
    public string? IntegrationId { get; init; }
    public string? Url { get; init; }
    public List<string>? Events { get; init; }
    public string? Secret { get; init; }
    public bool? Active { get; init; }
    public string? CreatedAt { get; init; }
    public string? UpdatedAt { get; init; }

    /// <summary>Secrets replaced by a rotation, still signed with until each one's <c>expiresAt</c>.</summary>
    public List<RetiredSecret>? PreviousSecrets { get; init; }
    public string? SecretRotatedAt { get; init; }

    /// <summary>Deliveries in a row that failed for good; reset by a delivered one and by re-enabling.</summary>
    public int? ConsecutiveFailures { get; init; }
    public string? DisabledReason { get; init; }
    public string? DisabledAt { get; init; }

    public string? WebhookUrl { get; init; }
    public string? WebhookSecret { get; init; }
    public bool? IsActive { get; init; }

    [JsonIgnore]
    public string? EffectiveUrl => Url ?? WebhookUrl;
    [JsonIgnore]
    public string? EffectiveSecret => string.IsNullOrEmpty(Secret) ? WebhookSecret : Secret;
    [JsonIgnore]
    public bool EffectiveActive => Active ?? IsActive ?? false;
    [JsonIgnore]
    public string EffectiveId => WebhookId ?? Id;
}

public sealed record RetiredSecret(string Secret, string ExpiresAt);
