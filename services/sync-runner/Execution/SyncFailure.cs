using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.Storage;
using IntegrationSync.SyncRunner.Adapters;
using Polly.Timeout;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>A run that cannot succeed as configured, or gave up retrying; <see cref="Code"/> classifies it for the failed event.</summary>
public sealed class SyncFailure(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}

public static class RunErrors
{
    /// <summary>
    /// The broker or Cosmos out of reach past the bounds of their own retries: the run is handed back at its checkpoint,
    /// never failed, and resumes when they return.
    /// </summary>
    public static bool IsOutage(Exception e) => e is BrokerUnavailableException or TimeoutRejectedException || CosmosRetry.IsTransient(e);

    /// <summary>The error code and message a failed run reports.</summary>
    public static (string Code, string Message) Classify(Exception e) => e switch
    {
        SyncFailure failure => (failure.Code, failure.Message),
        AdapterException { Kind: AdapterErrorKind.AuthExpired } auth => ("AUTH_EXPIRED", auth.Message),
        AdapterException { Kind: AdapterErrorKind.Permanent } permanent => ("ADAPTER_CONFIGURATION", permanent.Message),
        AdapterException adapter => ("ADAPTER_UNAVAILABLE", adapter.Message),
        PeerCallException { IsTransient: true } peer => ("PEER_UNAVAILABLE", peer.Message),
        PeerCallException peer => ("PEER_ERROR", peer.Message),
        HttpRequestException http => ("PEER_UNAVAILABLE", http.Message),
        UnroutableEventException or RabbitMQ.Client.Exceptions.PublishException => ("PUBLISH_FAILED", e.Message),
        _ => ("INTERNAL_ERROR", e.Message),
    };
}
