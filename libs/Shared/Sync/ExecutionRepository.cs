using IntegrationSync.Shared.Storage;

namespace IntegrationSync.Shared.Sync;

public sealed class ExecutionRepository(CosmosContainers containers) : CosmosRepository<ExecutionDocument>(containers.Executions, containers.Kind(ExecutionDocument.DocType, untypedToo: true));
