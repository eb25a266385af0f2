using System.Text.Json.Nodes;
using IntegrationSync.Shared.Adapters;
using IntegrationSync.Shared.Peers;
using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters;

/// <summary>
/// One external system: describes itself, reads pages of records since a cursor, reads one record,
/// writes records, and reports failures as <see cref="AdapterException"/> with a classified kind.
/// </summary>
public interface ISyncAdapter
{
    AdapterDescriptor Descriptor { get; }

    /// <summary>Streams pages; the caller stops reading at its limit, so an adapter never materialises a whole sync.</summary>
    IAsyncEnumerable<RecordPage> ReadAsync(AdapterReadRequest request, CancellationToken cancellationToken);

    /// <summary>One record by external id, or null when the system has none.</summary>
    Task<SourceRecord?> ReadOneAsync(AdapterRecordRequest request, CancellationToken cancellationToken);

    /// <summary>Creates or updates one record; <see cref="AdapterWriteRequest.ExpectedVersion"/> guards against a concurrent change where the API has a concurrency token.</summary>
    Task<WriteResult> WriteAsync(AdapterWriteRequest request, CancellationToken cancellationToken);

    /// <summary>Deletes one record (guarded by <paramref name="expectedVersion"/> where the API can); a record already gone is not an error.</summary>
    Task DeleteAsync(AdapterRecordRequest request, string? expectedVersion, CancellationToken cancellationToken);
}

/// <summary>
/// What an adapter needs to talk to one integration: its configuration and its credentials (from secret-management).
/// <paramref name="TenantId"/> is required by adapters that call Castiel peers (integration-manager); <see cref="AdapterConnectionResolver"/> sets it.
/// </summary>
public sealed record AdapterConnection(IntegrationDescriptor Integration, AdapterCredentials Credentials, string? TenantId = null);

/// <summary>The secret value of the integration, parsed: e.g. <c>accessToken</c>, <c>instanceUrl</c>, <c>apiKey</c>.</summary>
public sealed record AdapterCredentials(JsonObject Values)
{
    public static readonly AdapterCredentials None = new([]);

    public string? Get(string name) => Values[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

/// <summary><paramref name="Cursor"/> is what the last page returned as <see cref="RecordPage.NextCursor"/> (null: from the beginning, or since the integration's last checkpoint).</summary>
public sealed record AdapterReadRequest(AdapterConnection Connection, string EntityType, JsonObject? Filters, string? Cursor)
{
    public IntegrationDescriptor Integration => Connection.Integration;

    /// <summary>
    /// The most records the caller takes from this read (the run's record limit; null: no limit). An adapter that sizes its
    /// pages asks for no more than what remains and stops once it is reached, so a page is never cut and no call is made for
    /// records the run would not take.
    /// </summary>
    public int? MaxRecords { get; init; }

    /// <summary>Counts the read's vendor calls and keeps the vendor's word on its daily allocation (the runner keeps one per run).</summary>
    public ReadMeter Meter { get; init; } = new();
}

public sealed record AdapterRecordRequest(AdapterConnection Connection, string EntityType, string ExternalId);

/// <param name="UpsertKey">
/// Castiel's id for a record created at the vendor: with the integration's external-id field configured, a create is an
/// upsert on it, so a retry finds the record it created instead of making a second one.
/// </param>
/// <param name="WriterTag">Our name as a writer, sent where the vendor reports it back on the change (so its echo is known).</param>
public sealed record AdapterWriteRequest(
    AdapterConnection Connection, string EntityType, string? ExternalId, JsonObject Fields, string? ExpectedVersion, string? UpsertKey = null,
    string? WriterTag = null);

/// <summary>
/// <paramref name="NextCursor"/> null means the data set is exhausted; otherwise a resumable position after this page.
/// <paramref name="Watermark"/> is where the next incremental sync starts after this page, given also on the last page
/// (null for adapters without an incremental position, e.g. offset paging).
/// </summary>
public sealed record RecordPage(IReadOnlyList<SourceRecord> Records, string? NextCursor, string? Watermark = null)
{
    /// <summary>Records deleted at the vendor since the read's cursor, reported once, with the page the read reached them on.</summary>
    public IReadOnlyList<DeletedRecord> Deleted { get; init; } = [];

    /// <summary>
    /// Why deletions since the cursor may be missing from <see cref="Deleted"/> (the vendor no longer keeps them, or its
    /// change token expired); null when the vendor reports them all. Only a full reconciliation finds the missing ones.
    /// </summary>
    public string? DeletesMissed { get; init; }
}

/// <summary>A record the vendor reports deleted: its external id, when the vendor says, when, and the record itself where the vendor still shows it (a tombstone row).</summary>
public sealed record DeletedRecord(string ExternalId, string? DeletedAt = null, JsonObject? Data = null);

/// <summary>A fetched record with the stable external id it will be published under and its version (modstamp / ETag) when known.</summary>
public sealed record SourceRecord(string ExternalId, JsonObject Data, string? Version = null);

public sealed record WriteResult(string ExternalId, string? Version, bool Created);
