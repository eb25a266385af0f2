using System.Globalization;
using System.Runtime.CompilerServices;
using IntegrationSync.Shared.Adapters;
using IntegrationSync.SyncRunner.Adapters.Http;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Adapters.Sample;

/// <summary>
/// Deterministic records for local runs and load tests, shaped for the entity type (<see cref="SampleRecords"/>): the same
/// (seed, index) always gives the same record, generated page by page (the cursor is the next index), never held in memory as a whole.
/// </summary>
public sealed class SampleAdapter(IOptions<AdapterHttpOptions> options) : ISyncAdapter
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public AdapterDescriptor Descriptor => AdapterCatalog.Sample;

    public async IAsyncEnumerable<RecordPage> ReadAsync(AdapterReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var settings = SampleSettings.From(request.Integration.Settings, request.Filters, options.Value.MaxPageSize);
        var next = int.TryParse(request.Cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : 0;
        while (next < settings.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(settings.Count, next + settings.PageSize);
            var records = new List<SourceRecord>(end - next);
            for (var index = next; index < end; index++)
            {
                records.Add(Generate(settings.Seed, index, request.EntityType));
            }
            next = end;
            // Stands in for a vendor's response time in demos and failure tests.
            await Task.Delay(settings.PageDelayMs, cancellationToken);
            yield return new RecordPage(records, next < settings.Count ? next.ToString(CultureInfo.InvariantCulture) : null);
        }
    }

    public Task<SourceRecord?> ReadOneAsync(AdapterRecordRequest request, CancellationToken cancellationToken)
    {
        var settings = SampleSettings.From(request.Connection.Integration.Settings, filters: null, options.Value.MaxPageSize);
        var prefix = $"sample-{settings.Seed}-";
        return Task.FromResult(
            request.ExternalId.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(request.ExternalId[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && index < settings.Count
                ? Generate(settings.Seed, index, request.EntityType)
                : null);
    }

    /// <summary>The generator is read-only.</summary>
    public Task<WriteResult> WriteAsync(AdapterWriteRequest request, CancellationToken cancellationToken) =>
        throw new AdapterException(AdapterErrorKind.Permanent, "The sample adapter does not support writes");

    public Task DeleteAsync(AdapterRecordRequest request, string? expectedVersion, CancellationToken cancellationToken) =>
        throw new AdapterException(AdapterErrorKind.Permanent, "The sample adapter does not support writes");

    public static SourceRecord Generate(int seed, int index, string entityType)
    {
        var random = new SampleRandom(seed, index);
        var id = $"sample-{seed}-{index:D7}";
        var modified = Epoch.AddMinutes(index);
        var data = SampleRecords.Create(SampleRecords.ShapeOf(entityType, index), id, entityType, index, random, modified);
        return new SourceRecord(id, data, modified.ToString("O", CultureInfo.InvariantCulture));
    }
}
