using System.Text.Json;

namespace IntegrationSync.Bench.Support;

/// <summary>One figure a harness measured, as a row of scripts/bench.sh's table: what it is, its value, its unit.</summary>
public sealed record BenchMetric(string Metric, double Value, string Unit);

/// <summary>
/// What a harness measured, as one line <c>BENCH_RESULT {"bench", "metrics": [{"metric", "value", "unit"}], "notes": [...]}</c>
/// on stdout beside its readable report: scripts/bench.sh collects these lines from every run (scripts/lib/bench_table.py
/// takes the median of each metric over the runs) and prints the notes of the first run under the table.
/// </summary>
public static class BenchResult
{
    public const string Prefix = "BENCH_RESULT ";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Emit(string bench, IEnumerable<BenchMetric> metrics, params IEnumerable<string> notes) =>
        Console.WriteLine(Prefix + JsonSerializer.Serialize(new { Bench = bench, Metrics = metrics, Notes = notes }, Json));

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
