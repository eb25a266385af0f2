namespace IntegrationSync.Shared.Contracts;

public sealed record EventSource(string Service, string Instance);
