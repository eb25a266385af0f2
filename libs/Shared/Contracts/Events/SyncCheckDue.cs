namespace IntegrationSync.Shared.Contracts.Events;

[EventName(EventNames.SyncCheckDue)]
public sealed record SyncCheckDue(string Timestamp, string CheckType = "scheduled");
