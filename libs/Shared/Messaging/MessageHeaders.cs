namespace IntegrationSync.Shared.Messaging;

public static class MessageHeaders
{
    public const string TenantId = "tenantId";
    public const string Version = "version";
    public const string RetryCount = "x-retry-count";
    public const string LastError = "x-last-error";
    public const string FailedAt = "x-failed-at";
    public const string OriginalQueue = "x-original-queue";
    public const string Death = "x-death";
    public const string ContentType = "application/json";
}
