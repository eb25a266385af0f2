namespace IntegrationSync.SyncRunner.Adapters;

/// <summary>What remains of a read's <see cref="AdapterReadRequest.MaxRecords"/>: how large a page to ask for next, and whether to stop.</summary>
public sealed class ReadBudget(int? maxRecords)
{
    private int _taken;

    /// <summary>Records still wanted: <see cref="int.MaxValue"/> without a limit.</summary>
    public int Remaining => maxRecords is { } max ? Math.Max(0, max - _taken) : int.MaxValue;

    /// <summary>The records a read stops at once they are taken.</summary>
    public bool Spent => Remaining == 0;

    /// <summary><paramref name="size"/>, or what remains when that is less (never below <paramref name="vendorMin"/>, the smallest page the vendor serves).</summary>
    public int PageSize(int size, int vendorMin = 1) => Math.Max(vendorMin, Math.Min(size, Remaining));

    public void Take(int records) => _taken += records;
}
