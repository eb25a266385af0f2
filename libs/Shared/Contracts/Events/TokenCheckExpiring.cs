namespace IntegrationSync.Shared.Contracts.Events;

[EventName(EventNames.TokenCheckExpiring)]
public sealed record TokenCheckExpiring(string Timestamp, string ThresholdTime);
