using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;

namespace IntegrationSync.TokenRefresher.Refresh;

/// <summary>A refresh-requested event checked for what the refresh needs; anything missing can never succeed.</summary>
public sealed record RefreshRequest(string TenantId, string ConnectionId, string IntegrationId, string MessageId)
{
    private static readonly char[] ForbiddenInIds = ['/', '\\', '?', '#'];

    public static RefreshRequest From(EventContext<TokenRefreshRequested> context)
    {
        var data = context.Data;
        var tenant = context.TenantId(data.TenantId);
        if (string.IsNullOrWhiteSpace(tenant) || tenant == "system")
        {
            throw new PermanentEventException("refresh-requested has no tenant (envelope tenantId or data.tenantId)");
        }
        Require(data.ConnectionId, "data.connectionId");
        Require(data.IntegrationId, "data.integrationId");
        return new RefreshRequest(tenant, data.ConnectionId, data.IntegrationId, context.Envelope.Id);
    }

    private static void Require(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new PermanentEventException($"refresh-requested has no {field}");
        }
        // The id becomes part of a Cosmos document id and a URL path segment.
        if (value.IndexOfAny(ForbiddenInIds) >= 0)
        {
            throw new PermanentEventException($"refresh-requested {field} '{value}' contains '/', '\\', '?' or '#'");
        }
    }
}
