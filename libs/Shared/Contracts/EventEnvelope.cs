using System.Text.Json;

namespace IntegrationSync.Shared.Contracts;

/// <summary>
/// The shared Castiel event envelope (reference §2.1). Property order is the wire order.
/// <c>Data</c> stays raw so that a consumer can route on <c>type</c> before choosing a payload type.
/// </summary>
public sealed record EventEnvelope(
    string Id,
    string Type,
    string Version,
    string Timestamp,
    string TenantId,
    EventSource Source,
    JsonElement Data,
    EventMetadata? Metadata = null)
{
    public const string CurrentVersion = "1.0";
}
