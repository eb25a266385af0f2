using IntegrationSync.Bench.Support;
using IntegrationSync.Bench.VendorCalls;

// Vendor API calls per read, each adapter against its vendor fake on loopback, with the runner's default settings:
// a full read of N records, then an incremental read of N records changed since its watermark.
// Usage: VendorCalls [records=10000]
var records = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
var clock = new ShiftedClock();
await using var adapters = AdapterHost.Build(clock);

Console.WriteLine($"{"adapter",-12} {"read",-12} {"records",8} {"calls",6} {"records/call",13} {"calls/10k",10}");
var metrics = new List<BenchMetric>();
foreach (var scenario in Scenarios.All)
{
    foreach (var result in await scenario(new Bench(adapters, clock, records)))
    {
        Console.WriteLine($"{result.Adapter,-12} {result.Read,-12} {result.Records,8} {result.Calls,6} {result.RecordsPerCall,13:F1} {result.CallsPer10K,10:F1}");
        var read = $"{Vendor(result.Adapter)} {result.Read} read of {records:N0}";
        metrics.Add(new($"{read}: API calls", result.Calls, "calls"));
        metrics.Add(new($"{read}: records per call ({result.Records:N0} read)", Math.Round(result.RecordsPerCall, 1), "records/call"));
    }
}
BenchResult.Emit("vendor_calls", metrics);

static string Vendor(string adapter) => adapter switch
{
    "salesforce" => "Salesforce",
    "hubspot" => "HubSpot",
    "dynamics365" => "Dynamics 365",
    "rest" => "REST (cursor pages of 100)",
    _ => adapter,
};
