using System.Collections.Concurrent;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Messaging;

namespace IntegrationSync.SyncRunner.Tests.Fakes;

/// <summary>Confirms every publish at once and keeps what was published, with its routing key.</summary>
public sealed class RecordingPublisher : IEventPublisher
{
    private readonly ConcurrentQueue<PublishedEvent> _published = new();

    public IReadOnlyList<PublishedEvent> Published => [.. _published];

    public Task PublishAsync<T>(T data, string tenantId, EventMetadata? metadata = null, CancellationToken cancellationToken = default)
        where T : notnull
    {
        _published.Enqueue(new PublishedEvent(EventName.Of<T>(), data, tenantId, metadata));
        return Task.CompletedTask;
    }

    public IReadOnlyList<T> OfType<T>() => Published.Select(p => p.Data).OfType<T>().ToList();
}

public sealed record PublishedEvent(string Name, object Data, string TenantId, EventMetadata? Metadata);
