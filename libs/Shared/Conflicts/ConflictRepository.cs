using IntegrationSync.Shared.Storage;

namespace IntegrationSync.Shared.Conflicts;

public sealed class ConflictRepository(CosmosContainers containers) : CosmosRepository<ConflictDocument>(containers.Conflicts, containers.Kind(ConflictDocument.DocType, untypedToo: true));
