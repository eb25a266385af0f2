using IntegrationSync.Shared.Storage;

namespace IntegrationSync.Shared.Sync;

public sealed class SyncTaskRepository(CosmosContainers containers) : CosmosRepository<SyncTaskDocument>(containers.SyncTasks);
