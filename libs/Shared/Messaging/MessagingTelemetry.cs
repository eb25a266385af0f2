using System.Diagnostics;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace IntegrationSync.Shared.Messaging;

/// <summary>W3C trace context in AMQP headers, and the Producer/Consumer spans of the messaging conventions.</summary>
public static class MessagingTelemetry
{
    public const string SourceName = "IntegrationSync.Messaging";
    public static readonly ActivitySource Source = new(SourceName);
    private static readonly TextMapPropagator Propagator = new TraceContextPropagator();

    public static Activity? StartPublish(string exchange, string routingKey)
    {
        var activity = Source.StartActivity($"{routingKey} publish", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.operation.type", "publish");
        activity?.SetTag("messaging.destination.name", exchange);
        activity?.SetTag("messaging.rabbitmq.destination.routing_key", routingKey);
        return activity;
    }

    public static void Inject(Activity? activity, IDictionary<string, object?> headers)
    {
        var context = activity?.Context ?? Activity.Current?.Context ?? default;
        if (context == default)
        {
            return;
        }
        Propagator.Inject(new PropagationContext(context, Baggage.Current), headers, (h, key, value) => h[key] = value);
    }

    /// <summary>A span of work on an execution, in the trace the execution started in (<paramref name="traceParent"/>), wherever it runs.</summary>
    public static Activity? StartExecutionStep(ActivitySource source, string name, string? traceParent, string executionId)
    {
        var parent = ActivityContext.TryParse(traceParent, null, out var context) ? context : default;
        var activity = source.StartActivity(name, ActivityKind.Internal, parent);
        activity?.SetTag("integration_sync.execution_id", executionId);
        return activity;
    }

    public static Activity? StartReceive(string queue, string routingKey, IDictionary<string, object?>? headers)
    {
        var parent = Propagator.Extract(default, headers, ReadHeader);
        var activity = Source.StartActivity($"{routingKey} receive", ActivityKind.Consumer, parent.ActivityContext);
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.destination.name", queue);
        activity?.SetTag("messaging.rabbitmq.destination.routing_key", routingKey);
        return activity;
    }

    private static IEnumerable<string> ReadHeader(IDictionary<string, object?>? headers, string key) =>
        headers is not null && headers.TryGetValue(key, out var value) && HeaderValue.AsString(value) is { } text
            ? [text]
            : [];
}

public static class HeaderValue
{
    public static string? AsString(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        null => null,
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    public static int AsInt(object? value) => value switch
    {
        int i => i,
        long l => (int)l,
        byte[] or string => int.TryParse(AsString(value), out var parsed) ? parsed : 0,
        _ => 0,
    };
}
