namespace IntegrationSync.Shared.Contracts;

public sealed record EventMetadata(string? CorrelationId = null, string? CausationId = null, string? UserId = null);
