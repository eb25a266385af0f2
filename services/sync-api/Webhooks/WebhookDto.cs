using IntegrationSync.Shared.Webhooks;

namespace IntegrationSync.SyncApi.Webhooks;

/// <summary>A webhook registration as every read shows it: whether a secret is set, never the secret.</summary>
public sealed record WebhookDto(
    string WebhookId, string TenantId, string? IntegrationId, string? Url, IReadOnlyList<string> Events, bool Active, bool HasSecret,
    string? CreatedAt, string? UpdatedAt)
{
    public static WebhookDto From(WebhookDocument w) => new(
        w.WebhookId ?? w.Id, w.TenantId, w.IntegrationId, w.EffectiveUrl, w.Events ?? [], w.EffectiveActive,
        !string.IsNullOrEmpty(w.EffectiveSecret), w.CreatedAt, w.UpdatedAt);
}

/// <summary>The 201 of a creation: the only answer that carries the signing secret.</summary>
public sealed record WebhookCreatedDto(
    string WebhookId, string TenantId, string? IntegrationId, string? Url, IReadOnlyList<string> Events, bool Active, bool HasSecret,
    string Secret, string? CreatedAt, string? UpdatedAt);
