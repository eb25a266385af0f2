using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntegrationSync.Deploy.Tests.Chart;

namespace IntegrationSync.Deploy.Tests.Observability;

/// <summary>The metric names the dashboard and the alert rules use, read out of their PromQL.</summary>
public static partial class MetricReferences
{
    /// <summary>
    /// RabbitMQ's rabbitmq_prometheus plugin, per-object queue metrics (rabbitmq-server deps/rabbitmq_prometheus/metrics.md,
    /// "Queues"): the only metrics from outside the fleet that the dashboard and alerts may use.
    /// </summary>
    public static readonly IReadOnlySet<string> DocumentedRabbitMqMetrics = new HashSet<string>(StringComparer.Ordinal)
    {
        "rabbitmq_queue_messages", "rabbitmq_queue_messages_ready", "rabbitmq_queue_messages_unacked", "rabbitmq_queue_consumers",
    };

    // Metric names of the fleet, of ASP.NET Core's meters and of RabbitMQ; label names and functions never start so.
    [GeneratedRegex(@"\b(?:integration_sync|http_server|rabbitmq)_[a-z0-9_]+\b")]
    private static partial Regex MetricName();

    /// <summary>Every panel query, and the queries of the dashboard's query variables.</summary>
    public static IReadOnlyList<string> DashboardExpressions()
    {
        var dashboard = JsonNode.Parse(Repo.Read("deploy", "grafana", "integration-sync.json"))!.AsObject();
        var variables = dashboard["templating"]!["list"]!.AsArray()
            .Where(v => (string?)v!["type"] == "query")
            .Select(v => (string)v!["definition"]!);
        return dashboard.Descendants().Where(p => p.Key is "expr").Select(p => (string)p.Value!).Concat(variables).ToList();
    }

    public static IReadOnlyList<string> AlertExpressions() =>
        YamlJson.Parse(Repo.Read("deploy", "prometheus", "alerts.yaml"))!["groups"]!.AsArray()
            .SelectMany(g => g!["rules"]!.AsArray())
            .Select(r => (string)r!["expr"]!)
            .ToList();

    public static IReadOnlySet<string> In(IEnumerable<string> expressions) =>
        expressions.SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).ToHashSet(StringComparer.Ordinal);

    public static bool NamesAMetric(string expression) => MetricName().IsMatch(expression);

    private static IEnumerable<KeyValuePair<string, JsonNode?>> Descendants(this JsonObject node) =>
        node.SelectMany(p => p.Value switch
        {
            JsonObject child => [p, .. child.Descendants()],
            JsonArray list => [p, .. list.OfType<JsonObject>().SelectMany(Descendants)],
            _ => new[] { p },
        });
}
