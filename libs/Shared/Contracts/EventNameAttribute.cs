namespace IntegrationSync.Shared.Contracts;

/// <summary>The routing key and envelope <c>type</c> of an event record.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class EventNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    /// <summary>
    /// Published mandatory: internal commands, the record events their processors must receive and the final events the
    /// runner consumes. No queue bound for one is an error, not a silent drop.
    /// </summary>
    public bool Mandatory { get; init; }
}

public static class EventName
{
    public static string Of<T>() => Cache<T>.Attribute.Name;

    public static bool IsMandatory<T>() => Cache<T>.Attribute.Mandatory;

    private static class Cache<T>
    {
        public static readonly EventNameAttribute Attribute =
            (EventNameAttribute?)System.Attribute.GetCustomAttribute(typeof(T), typeof(EventNameAttribute))
            ?? throw new InvalidOperationException($"{typeof(T).Name} has no [EventName] attribute.");
    }
}
