using IntegrationSync.Shared.Webhooks;

namespace IntegrationSync.SyncApi.Webhooks;

/// <summary>
/// A webhook registration as every read shows it: whether a secret is set, never the secret; when a disabled one was
/// disabled by delivery failures, why; and until when a rotated-out secret is still signed with.
/// </summary>
public sealed record WebhookDto(
    string WebhookId, string TenantId, string? IntegrationId, string? Url, IReadOnlyList<string> Events, bool Active, bool HasSecret,
    string? CreatedAt, string? UpdatedAt, int ConsecutiveFailures = 0, string? DisabledReason = null, string? DisabledAt = null,
    string? SecretRotatedAt = null, string? PreviousSecretExpiresAt = null)
{
    public static WebhookDto From(WebhookDocument w) => new(
        w.EffectiveId, w.TenantId, w.IntegrationId, w.EffectiveUrl, w.Events ?? [], w.EffectiveActive,
        !string.IsNullOrEmpty(w.EffectiveSecret), w.CreatedAt, w.UpdatedAt, w.ConsecutiveFailures ?? 0, w.DisabledReason, w.DisabledAt,
        w.SecretRotatedAt, w.PreviousSecrets?.Max(r => r.ExpiresAt));
}

/// <summary>The 201 of a creation: the only answer that carries the signing secret.</summary>
public sealed record WebhookCreatedDto(
    string WebhookId, string TenantId, string? IntegrationId, string? Url, IReadOnlyList<string> Events, bool Active, bool HasSecret,
    string Secret, string? CreatedAt, string? UpdatedAt);

/// <summary>The answer of a rotation: the new secret, shown this once, and until when the previous one still signs deliveries.</summary>
public sealed record SecretRotatedDto(string WebhookId, string Secret, string? PreviousSecretExpiresAt, string RotatedAt);
