using IntegrationSync.Shared.Leases;

namespace IntegrationSync.TokenRefresher.Refresh;

public enum ClaimKind
{
    /// <summary>This request owns the refresh and calls integration-manager.</summary>
    Claimed,

    /// <summary>Another request claimed this connection within the single-flight window: nothing to do.</summary>
    Duplicate,

    /// <summary>A redelivery of the request whose outcome is already recorded: finish announcing it, do not call again.</summary>
    Replay,
}

public sealed record RefreshClaim(ClaimKind Kind, ConnectionRefreshDocument Lease);
