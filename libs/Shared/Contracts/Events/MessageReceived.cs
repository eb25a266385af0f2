using System.Text.Json.Nodes;

namespace IntegrationSync.Shared.Contracts.Events;

/// <summary>
/// A chat message record for integration-processors' message processor (reference §2.5.3), with the fields it reads that
/// the original never sent (<c>sentAt</c>, <c>integrationSource</c>, and <c>isDeleted</c>/<c>deletedAt</c> for a message
/// deleted at the vendor); <c>idempotencyKey</c> is ours.
/// </summary>
[EventName(EventNames.MessageReceived, Mandatory = true)]
public sealed record MessageReceived(
    string IntegrationId,
    string TenantId,
    string ExternalId,
    string SyncTaskId,
    string CorrelationId,
    RawRecordMetadata Metadata,
    string MessageId,
    JsonNode? ChannelId,
    JsonNode? From,
    JsonNode? Text,
    JsonNode Mentions,
    JsonNode Reactions,
    JsonNode? ReceivedAt,
    JsonNode? SentAt,
    string IntegrationSource,
    string IdempotencyKey,
    bool? IsDeleted = null,
    string? DeletedAt = null);
