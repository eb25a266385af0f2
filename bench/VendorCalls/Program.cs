using IntegrationSync.Bench.VendorCalls;

// Vendor API calls per read, each adapter against its vendor fake on loopback, with the runner's default settings:
// a full read of N records, then an incremental read of N records changed since its watermark.
// Usage: VendorCalls [records=10000]
var records = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
var clock = new ShiftedClock();
await using var adapters = AdapterHost.Build(clock);

Console.WriteLine($"{"adapter",-12} {"read",-12} {"records",8} {"calls",6} {"records/call",13} {"calls/10k",10}");
foreach (var scenario in Scenarios.All)
{
    foreach (var result in await scenario(new Bench(adapters, clock, records)))
    {
        Console.WriteLine($"{result.Adapter,-12} {result.Read,-12} {result.Records,8} {result.Calls,6} {result.RecordsPerCall,13:F1} {result.CallsPer10K,10:F1}");
    }
}
