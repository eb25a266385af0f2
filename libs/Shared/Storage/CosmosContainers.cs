using System.Text.Json;
using IntegrationSync.Shared.Configuration.Options;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace IntegrationSync.Shared.Storage;

/// <summary>
/// The containers of the shared <c>castiel</c> database, by role; names come from configuration. In the single-container
/// layout every role is the one container, and documents are told apart by their <c>type</c> (<see cref="Kind"/>).
/// </summary>
public sealed class CosmosContainers(CosmosClient client, IOptions<CosmosDbOptions> options)
{
    private readonly Database _database = client.GetDatabase(options.Value.DatabaseId);
    private readonly CosmosContainerNames _names = options.Value.Containers;
    private readonly bool _single = options.Value.SingleContainer;

    public Container SyncTasks => Role(_names.SyncTasks);
    public Container Executions => Role(_names.Executions);
    public Container Conflicts => Role(_names.Conflicts);
    public Container Webhooks => Role(_names.Webhooks);
    public Container SyncState => Role(_names.SyncState);
    public Container Leases => Role(_names.Leases);
    public Container WebhookDeliveries => Role(_names.WebhookDeliveries);
    /// <summary>The per-record sync state, in its own container in either layout: it is partitioned by <c>/id</c>.</summary>
    public Container SyncRecords => _database.GetContainer(_names.SyncRecords);

    /// <summary>
    /// A kind of document and the condition (on alias <c>c</c>) every query of it carries. Kinds whose container the
    /// original system shares (<paramref name="untypedToo"/>: tasks, executions, conflicts, webhooks) also match its
    /// documents, which have no <c>type</c>, unless the layout is the fleet's single container.
    /// </summary>
    public DocumentKind Kind(string name, bool untypedToo = false) => new(name, untypedToo && !_single);

    private Container Role(string name) => _database.GetContainer(_single ? _names.Data : name);
}

/// <summary>A kind of document (its <c>type</c>), whether documents without a type count as it, and the query condition.</summary>
public sealed record DocumentKind(string Name, bool UntypedToo)
{
    public string Clause { get; } = UntypedToo ? $"(NOT IS_DEFINED(c.type) OR c.type = '{Name}')" : $"c.type = '{Name}'";

    /// <summary>Whether a stored document (its JSON) is of this kind, judged from its top-level <c>type</c> alone.</summary>
    public bool Matches(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                return reader.TokenType == JsonTokenType.String ? reader.ValueTextEquals(Name) : UntypedToo;
            }
            reader.Read();
            reader.TrySkip();
        }
        return UntypedToo;
    }
}
