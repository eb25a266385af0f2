namespace IntegrationSync.EventConsumer.ShardChanges;

public static class ShardChangesRegistration
{
    /// <summary>Shard changes recorded for the outbound side of bidirectional sync.</summary>
    public static IServiceCollection AddShardChanges(this IServiceCollection services) => services.AddSingleton<ShardChangeRepository>();
}
