namespace IntegrationSync.Shared.Sync;

/// <summary>
/// The original's status names: pending → running → processing → completed | failed | cancelled; plus <c>paused</c>
/// (a run stopped between pages on request, holding its checkpoint but no slot, until it is resumed).
/// </summary>
public static class SyncStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Processing = "processing";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static bool IsFinal(string? status) => status is Completed or Failed or Cancelled;
}

public static class SyncDirection
{
    public const string Inbound = "inbound";
    public const string Outbound = "outbound";
    public const string Bidirectional = "bidirectional";

    public static readonly IReadOnlyList<string> All = [Inbound, Outbound, Bidirectional];
}
