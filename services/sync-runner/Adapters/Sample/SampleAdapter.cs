using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Adapters;

namespace IntegrationSync.SyncRunner.Adapters.Sample;

/// <summary>
/// Deterministic CRM-like records for local runs and load tests: the same (seed, index) always gives the
/// same record, generated page by page (the cursor is the next index), never held in memory as a whole.
/// </summary>
public sealed class SampleAdapter : ISyncAdapter
{
    private static readonly string[] Stages = ["prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost"];
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public AdapterDescriptor Descriptor => AdapterCatalog.Sample;

    public async IAsyncEnumerable<RecordPage> ReadAsync(AdapterReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var settings = SampleSettings.From(request.Integration.Settings, request.Filters);
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
        var settings = SampleSettings.From(request.Connection.Integration.Settings, filters: null);
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

    public static SourceRecord Generate(int seed, int index, string entityType)
    {
        var random = new Random(HashCode.Combine(seed, index));
        var id = $"sample-{seed}-{index:D7}";
        var modified = Epoch.AddMinutes(index);
        var data = new JsonObject
        {
            ["id"] = id,
            ["type"] = entityType,
            ["name"] = $"{CultureInfo.InvariantCulture.TextInfo.ToTitleCase(entityType)} {index}",
            ["amount"] = Math.Round(random.NextDouble() * 100_000, 2),
            ["currency"] = "USD",
            ["stage"] = Stages[random.Next(Stages.Length)],
            ["probability"] = random.Next(0, 101),
            ["closeDate"] = Epoch.AddDays(30 + index % 365).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["ownerEmail"] = $"owner{random.Next(1, 20)}@example.com",
            ["createdAt"] = modified.ToString("O", CultureInfo.InvariantCulture),
            ["updatedAt"] = modified.ToString("O", CultureInfo.InvariantCulture),
        };
        return new SourceRecord(id, data, modified.ToString("O", CultureInfo.InvariantCulture));
    }
}
