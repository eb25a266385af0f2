namespace IntegrationSync.Bench.VendorCalls;

/// <summary>The system clock moved forward on demand (timers stay real): the hour between a full read and the next sync.</summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
