using System.Net;
using System.Net.Sockets;

namespace IntegrationSync.Shared.Security.Outbound;

/// <summary>
/// A <see cref="SocketsHttpHandler.ConnectCallback"/> that resolves the host itself, asks the <see cref="OutboundPolicy"/>
/// about every address, and connects only to the addresses it checked: a name that resolves to a private address, or
/// rebinds to one between two lookups, never gets a connection. A host with any refused address is refused as a whole.
/// </summary>
public static class GuardedConnection
{
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Callback(OutboundPolicy policy) =>
        async (context, cancellationToken) =>
        {
            var endpoint = context.DnsEndPoint;
            var host = HostPattern.Normalize(endpoint.Host);
            var addresses = IPAddress.TryParse(host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(host, cancellationToken);
            foreach (var address in addresses)
            {
                if (policy.Refusal(host, address) is { } kind)
                {
                    throw new OutboundRefusedException(host, kind);
                }
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
}

/// <summary>The outbound guard refused a connection: the host is or resolves to an address that is not public and not allow-listed.</summary>
public sealed class OutboundRefusedException(string host, string kind)
    : IOException($"'{host}' is or resolves to a {kind} address: calls on a tenant's behalf reach only public addresses "
        + "(an operator can allow it in outbound.allowed_hosts or outbound.allowed_networks)")
{
    public string Host { get; } = host;

    /// <summary>The exception, or the one it wraps (HttpClient wraps what the connect callback throws).</summary>
    public static OutboundRefusedException? Find(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is OutboundRefusedException refused)
            {
                return refused;
            }
        }
        return null;
    }
}
