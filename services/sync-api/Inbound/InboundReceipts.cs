using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using IntegrationSync.Shared.Storage;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.SyncApi.Inbound;

/// <summary>
/// An accepted notification, remembered for <c>webhooks.inbound.replay_retention_seconds</c> (container
/// <c>integration_webhook_deliveries</c>, TTL): its key (the sender's event id, or the hash of what makes the request
/// unique) is the document id, so every replica agrees on the first one and refuses the rest.
/// </summary>
public sealed record InboundReceiptDocument : CosmosDocument
{
    public const string DocType = "inbound_receipt";

    public override string Type { get; init; } = DocType;
    public required string IntegrationId { get; init; }
    public required string Provider { get; init; }
    public required string ReceivedAt { get; init; }

    [JsonPropertyName("ttl")]
    public int? Ttl { get; init; }

    public static string IdFor(string integrationId, string eventKey) =>
        $"inbound-{integrationId}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(eventKey)).AsSpan(0, 16))}";
}

public sealed class InboundReceipts(CosmosContainers containers) : CosmosRepository<InboundReceiptDocument>(containers.WebhookDeliveries, containers.Kind(InboundReceiptDocument.DocType))
{
    /// <summary>False when the notification was accepted before: a replay.</summary>
    public async Task<bool> TryRecordAsync(InboundReceiptDocument receipt, CancellationToken cancellationToken) =>
        await TryCreateAsync(receipt, cancellationToken) is not null;

    /// <summary>Forgets a receipt whose notification could not be passed on, so the provider's next attempt is not taken for a replay.</summary>
    public async Task ForgetAsync(InboundReceiptDocument receipt, CancellationToken cancellationToken)
    {
        try
        {
            await Container.DeleteItemAsync<InboundReceiptDocument>(receipt.Id, new PartitionKey(receipt.TenantId), cancellationToken: cancellationToken)
                .WaitAsync(cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }
}
