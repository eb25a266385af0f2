using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using IntegrationSync.Shared.Storage;

namespace IntegrationSync.Shared.Webhooks;

/// <summary>
/// One event for one registration (container <c>integration_webhook_deliveries</c>, partition = tenant): the exact body
/// sent, every attempt, and when the next one is due. Its id is the <c>webhook-id</c> header, the same on every attempt,
/// and derives from (registration, event), so the event delivered twice by the broker makes one delivery. While an attempt
/// is in flight <see cref="NextAttemptAt"/> is the end of that replica's claim: if the replica dies, the delivery falls
/// due again and another replica takes it over.
/// </summary>
public sealed record WebhookDeliveryDocument : CosmosDocument
{
    public const string DocType = "webhook_delivery";
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string EventKind = "event";
    public const string PingKind = "ping";
    public const int AttemptLogSize = 20;

    public static readonly IReadOnlyList<string> Statuses = [Pending, Succeeded, Failed];

    public override string Type { get; init; } = DocType;
    public string Kind { get; init; } = EventKind;
    public required string DeliveryId { get; init; }
    public required string WebhookId { get; init; }
    public string? IntegrationId { get; init; }
    public required string EventType { get; init; }
    public string? EventId { get; init; }

    /// <summary>The JSON body exactly as sent and signed.</summary>
    public required string Payload { get; init; }

    public required string Status { get; init; }
    public int Attempts { get; init; }

    /// <summary>Attempts since the delivery was created or last redelivered: the position in the retry schedule.</summary>
    public int RoundAttempts { get; init; }

    public string? NextAttemptAt { get; init; }
    public string? ClaimedBy { get; init; }
    public string? ClaimToken { get; init; }
    public string? LastAttemptAt { get; init; }
    public int? LastStatusCode { get; init; }
    public long? LastLatencyMs { get; init; }
    public string? LastError { get; init; }
    public string? LastResponseBody { get; init; }
    public List<DeliveryAttemptRecord>? AttemptLog { get; init; }
    public required string CreatedAt { get; init; }
    public string? UpdatedAt { get; init; }
    public string? CompletedAt { get; init; }
    public bool Managed { get; init; } = true;

    /// <summary>Seconds until a finished delivery expires (the container's TTL is on, items without one never expire).</summary>
    [JsonPropertyName("ttl")]
    public int? Ttl { get; init; }

    /// <summary><c>msg_</c> and 32 hex digits: no dot (the signed content is dot-delimited), stable for (registration, event).</summary>
    public static string IdFor(string webhookId, string eventId) =>
        "msg_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{webhookId}\n{eventId}")).AsSpan(0, 16));

    public static string NewId() => "msg_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

/// <summary>One attempt: when, the answer's status (none for a timeout or a refused connection), how long, and why it failed.</summary>
public sealed record DeliveryAttemptRecord(int Attempt, string At, int? StatusCode, long LatencyMs, string? Error, string? ResponseBody);
