using System.Text.Json;
using IntegrationSync.Shared.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.Shared.Messaging;

/// <summary>The handlers of one queue, keyed by event type; built at registration, not by reflection on receipt.</summary>
public sealed record ConsumerLimits(ushort Prefetch, ushort Concurrency);

public sealed class ConsumerBuilder(IServiceCollection services, ConsumerRegistration registration)
{
    public ConsumerBuilder WithLimits(Func<IServiceProvider, ConsumerLimits> limits)
    {
        registration.Limits = limits;
        return this;
    }

    public ConsumerBuilder AddSubscription<TEvent, THandler>() where THandler : class, IEventHandler<TEvent>
    {
        services.AddScoped<IEventHandler<TEvent>, THandler>();
        registration.Add<TEvent>();
        return this;
    }
}

public sealed class ConsumerRegistration(Func<FleetTopology, QueueDefinition> selectQueue)
{
    private readonly Dictionary<string, Func<IServiceProvider, EventEnvelope, int, CancellationToken, Task>> _dispatch = [];

    public Func<FleetTopology, QueueDefinition> SelectQueue { get; } = selectQueue;

    /// <summary>Overrides <c>rabbitmq.prefetch</c> / <c>consumer_concurrency</c> for this queue (e.g. a consumer that coalesces writes).</summary>
    public Func<IServiceProvider, ConsumerLimits>? Limits { get; set; }

    public IReadOnlyCollection<string> EventTypes => _dispatch.Keys;

    internal void Add<TEvent>()
    {
        _dispatch[EventName.Of<TEvent>()] = static async (provider, envelope, attempt, cancellationToken) =>
        {
            TEvent data;
            try
            {
                data = envelope.Data.Deserialize<TEvent>(ContractJson.Options)
                    ?? throw new PermanentEventException("event data is null");
            }
            catch (JsonException e)
            {
                throw new PermanentEventException($"event data does not match {typeof(TEvent).Name}: {e.Message}");
            }

            await using var scope = provider.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredService<IEventHandler<TEvent>>();
            await handler.HandleAsync(new EventContext<TEvent>(envelope, data, attempt), cancellationToken);
        };
    }

    public bool TryGetDispatcher(string type, out Func<IServiceProvider, EventEnvelope, int, CancellationToken, Task> dispatch) =>
        _dispatch.TryGetValue(type, out dispatch!);
}
