using System.Text.Json.Nodes;
using IntegrationSync.Shared.Peers;

namespace IntegrationSync.SyncRunner.Adapters;

/// <summary>One external system: describes itself and reads pages of records since a cursor.</summary>
public interface ISyncAdapter
{
    AdapterDescriptor Descriptor { get; }

    /// <summary>Streams pages; the caller stops reading at its limit, so an adapter never materialises a whole sync.</summary>
    IAsyncEnumerable<RecordPage> ReadAsync(AdapterReadRequest request, CancellationToken cancellationToken);
}

public sealed record AdapterDescriptor(string Name, string DisplayName, IReadOnlyList<string> Capabilities, IReadOnlyDictionary<string, string> Settings);

public sealed record AdapterReadRequest(IntegrationDescriptor Integration, string EntityType, JsonObject? Filters, string? Cursor);

public sealed record RecordPage(IReadOnlyList<SourceRecord> Records, string? NextCursor);

/// <summary>A fetched record with the stable external id it will be published under.</summary>
public sealed record SourceRecord(string ExternalId, JsonObject Data);
