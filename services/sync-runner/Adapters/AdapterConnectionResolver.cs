using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Peers;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace IntegrationSync.SyncRunner.Adapters;

/// <summary>
/// An integration's connection: its descriptor and the credentials in secret-management under its
/// <c>credentialSecretName</c> (a JSON object, or a plain token taken as <c>accessToken</c>).
/// </summary>
public sealed class AdapterConnectionResolver(SecretManagementClient secrets)
{
    public async Task<AdapterConnection> ResolveAsync(string tenantId, IntegrationDescriptor integration, CancellationToken cancellationToken)
    {
        if (integration.CredentialSecretName is not { } secretName)
        {
            return new AdapterConnection(integration, AdapterCredentials.None, tenantId);
        }
        string? value;
        try
        {
            value = await secrets.GetSecretValueAsync(tenantId, secretName, cancellationToken);
        }
        catch (Exception e) when (e is PeerCallException or HttpRequestException or JsonException or TimeoutRejectedException or BrokenCircuitException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var kind = e is PeerCallException { IsTransient: false } or JsonException ? AdapterErrorKind.Permanent : AdapterErrorKind.Transient;
            throw new AdapterException(kind, $"Could not read the credentials of integration {integration.Id} from secret-management: {e.Message}", inner: e);
        }
        if (value is null)
        {
            throw new AdapterException(AdapterErrorKind.Permanent,
                $"Integration {integration.Id} names credential secret '{secretName}', which secret-management does not have; reconnect the integration");
        }
        return new AdapterConnection(integration, new AdapterCredentials(Parse(value)), tenantId);
    }

    public static JsonObject Parse(string value)
    {
        var text = value.Trim();
        if (text.StartsWith('{'))
        {
            try
            {
                if (JsonNode.Parse(text) is JsonObject credentials)
                {
                    return credentials;
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: a token that happens to start with a brace.
            }
        }
        return new JsonObject { ["accessToken"] = text };
    }
}
