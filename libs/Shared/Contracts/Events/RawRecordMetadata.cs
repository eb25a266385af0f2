using System.Text.Json.Nodes;

namespace IntegrationSync.Shared.Contracts.Events;

public sealed record RawRecordMetadata(string Direction, JsonObject? Filters);
