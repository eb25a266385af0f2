using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Peers;
using IntegrationSync.SyncRunner.Adapters;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>
/// The runner's side of "a 401 triggers one token refresh and one retry": asks token-refresher through
/// <c>integration.token.refresh-requested</c> and waits, bounded, until secret-management serves new credentials or
/// token-refresher records that the refresh failed.
/// </summary>
public sealed class CredentialRefresh(
    AdapterConnectionResolver resolver, TokenRefreshOutcomes outcomes, IEventPublisher publisher, IOptions<RunnerOptions> options, TimeProvider time,
    ILogger<CredentialRefresh> logger)
{
    public async Task<AdapterConnection> RefreshAsync(string tenantId, IntegrationDescriptor integration, AdapterConnection stale, CancellationToken cancellationToken)
    {
        var connectionId = integration.Settings["connectionId"] is JsonValue id && id.TryGetValue<string>(out var text) ? text : integration.Id;
        var before = await outcomes.LeaseAsync(tenantId, connectionId, cancellationToken);
        var requestedAt = time.GetUtcNow();
        await publisher.PublishAsync(
            new TokenRefreshRequested(connectionId, integration.Id, tenantId, ExpiresAt: null, RequestedAt: IsoTime.Format(requestedAt)),
            tenantId, cancellationToken: cancellationToken);
        logger.LogWarning("Credentials of integration {IntegrationId} were rejected; asked for a token refresh", integration.Id);

        var deadline = time.GetUtcNow().AddSeconds(options.Value.AuthRefreshWaitSeconds);
        while (time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(options.Value.AuthRefreshPollMs), time, cancellationToken);
            var fresh = await resolver.ResolveAsync(tenantId, integration, cancellationToken);
            if (!JsonNode.DeepEquals(fresh.Credentials.Values, stale.Credentials.Values))
            {
                return fresh;
            }
            if (await outcomes.FailureAsync(tenantId, connectionId, before, requestedAt, cancellationToken) is { } error)
            {
                throw new AdapterException(AdapterErrorKind.AuthExpired,
                    $"The credentials of integration {integration.Id} were rejected and the token refresh failed ({error}); reconnect the integration");
            }
        }
        throw new AdapterException(AdapterErrorKind.AuthExpired,
            $"The credentials of integration {integration.Id} were rejected and not refreshed within {options.Value.AuthRefreshWaitSeconds} s; reconnect the integration");
    }
}
