using System.Text.Json;

namespace IntegrationSync.Bench.Support;

/// <summary>
/// What a harness measured, as one line <c>BENCH_RESULT {json}</c> on stdout (snake_case keys) beside its readable report:
/// scripts/bench.sh collects these lines from every run and prints the table.
/// </summary>
public static class BenchResult
{
    public const string Prefix = "BENCH_RESULT ";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Emit(string bench, object figures)
    {
        var line = JsonSerializer.SerializeToNode(figures, Json)!.AsObject();
        line.Insert(0, "bench", bench);
        Console.WriteLine(Prefix + line.ToJsonString());
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
