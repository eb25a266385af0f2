using System.Net;

namespace IntegrationSync.Shared.Peers;

/// <summary>A Castiel peer answered with an error status (after the resilience pipeline gave up).</summary>
public sealed class PeerCallException(string peer, string operation, HttpStatusCode status, string body)
    : Exception($"{peer} {operation} failed with {(int)status} {status}: {Truncate(body)}")
{
    public HttpStatusCode Status { get; } = status;

    public bool IsTransient => (int)Status >= 500 || Status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    private static string Truncate(string body) => body.Length > 300 ? body[..300] : body;
}
