namespace IntegrationSync.Shared.Messaging;

/// <summary>One consuming queue with its bindings; retry and parking queues derive from its name.</summary>
public sealed record QueueDefinition(string Name, IReadOnlyList<string> RoutingKeys)
{
    public string DeadLetterQueue => $"{Name}.dlq";

    public string RetryQueue(int delayMs) => $"{Name}.retry.{delayMs}";
}
