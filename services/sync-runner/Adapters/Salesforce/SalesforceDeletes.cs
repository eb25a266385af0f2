using System.Globalization;
using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters.Salesforce;

/// <summary>
/// Deletions in an incremental read: <c>queryAll</c> returns the records deleted since the cursor among the others, with
/// <c>IsDeleted = true</c>, for as long as Salesforce keeps them (the Recycle Bin, about 15 days, less when it is emptied).
/// <c>getDeleted</c>'s <c>earliestDateAvailable</c> says from when on it still has them: later than the cursor means
/// deletions in between are gone, which the read reports on its first page.
/// </summary>
internal static class SalesforceDeletes
{
    // getDeleted refuses a start more than 30 days back.
    private static readonly TimeSpan Reported = TimeSpan.FromDays(29);

    /// <summary>Why deletions since <paramref name="cursor"/> may be missing, or null when Salesforce still has them all.</summary>
    public static async Task<string?> MissedSinceAsync(
        AdapterHttp http, SalesforceApi api, SalesforceCursor cursor, DateTimeOffset now, ReadMeter meter, CancellationToken cancellationToken)
    {
        if (now - cursor.Modstamp > Reported)
        {
            return $"the cursor ({Iso(cursor.Modstamp)}) is older than the {Reported.Days} days Salesforce reports deletions for";
        }
        if (now - cursor.Modstamp < TimeSpan.FromMinutes(1))
        {
            return null;
        }
        var url = $"{api.Base}/sobjects/{api.SObject}/deleted/?start={Uri.EscapeDataString(Iso(cursor.Modstamp))}&end={Uri.EscapeDataString(Iso(now))}";
        using var request = meter.Attach(api.Request(HttpMethod.Get, url), "deleted");
        JsonNode? body;
        try
        {
            body = await http.SendForJsonAsync(request, cancellationToken);
        }
        catch (AdapterException e) when (e.Kind == AdapterErrorKind.Permanent)
        {
            // E.g. INVALID_REPLICATION_DATE: the sync goes on, saying deletions may be missing.
            return $"Salesforce did not report deletions since the cursor ({e.Message})";
        }
        return SalesforceCursor.TryParseModstamp(RecordIdentity.Text(body?["earliestDateAvailable"]), out var earliest) && earliest > cursor.Modstamp
            ? $"Salesforce keeps deleted {api.SObject} records from {Iso(earliest)} on; those deleted between the cursor ({Iso(cursor.Modstamp)}) and then are gone"
            : null;
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
