using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IntegrationSync.TestSupport.VendorFakes;

/// <summary>
/// Deleted Opportunities: kept in the Recycle Bin (<c>IsDeleted = true</c>, <c>SystemModstamp</c> the deletion) where only
/// <c>queryAll</c> and <c>getDeleted</c> see them, until the bin is emptied; then <c>earliestDateAvailable</c> moves up.
/// <c>getDeleted</c> refuses a start more than 30 days back or a window under a minute (<c>INVALID_REPLICATION_DATE</c>).
/// sObject Collections' retrieve (<c>POST /composite/sobjects/Opportunity</c>, at most 2,000 ids) answers <c>null</c> for
/// a deleted or unknown record.
/// </summary>
public sealed partial class FakeSalesforce
{
    private DateTimeOffset _earliestDateAvailable = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public void Delete(string id, DateTimeOffset at)
    {
        lock (_gate)
        {
            var record = Opportunities.Single(r => (string)r["Id"]! == id);
            record["IsDeleted"] = true;
            record["SystemModstamp"] = Modstamp(at);
        }
    }

    /// <summary>Deleted records are gone for good, as after 15 days in the Recycle Bin or when someone empties it.</summary>
    public void EmptyRecycleBin(DateTimeOffset at)
    {
        lock (_gate)
        {
            Opportunities.RemoveAll(r => r["IsDeleted"]?.GetValue<bool>() == true);
            _earliestDateAvailable = at;
        }
    }

    /// <summary>sObject Collections retrieve calls answered (the reconciliation's presence checks).</summary>
    public int PresenceCalls => _presenceCalls;

    private int _presenceCalls;

    private void MapDeletes(WebApplication app, string root)
    {
        app.MapPost(root + "/composite/sobjects/Opportunity", (JsonObject body) =>
        {
            Interlocked.Increment(ref _presenceCalls);
            var ids = (body["ids"] as JsonArray ?? []).Select(id => (string?)id).ToList();
            if (ids.Count is 0 or > 2000 || body["fields"] is not JsonArray { Count: > 0 })
            {
                return Error(400, "INVALID_FIELD", "ids (1 to 2,000) and fields are required");
            }
            lock (_gate)
            {
                return Results.Json(new JsonArray([.. ids.Select(id => Opportunities.FirstOrDefault(r => (string)r["Id"]! == id && r["IsDeleted"]?.GetValue<bool>() != true)
                    is { } record ? (JsonNode)new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Opportunity" }, ["Id"] = (string)record["Id"]! } : null)]));
            }
        });
        app.MapGet(root + "/sobjects/Opportunity/deleted/", (HttpRequest request) =>
        {
            if (!DateTimeOffset.TryParse(request.Query["start"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start)
                || !DateTimeOffset.TryParse(request.Query["end"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end))
            {
                return Error(400, "MALFORMED_QUERY", "start and end must be dateTimes");
            }
            if (start < DateTimeOffset.UtcNow.AddDays(-30))
            {
                return Error(400, "INVALID_REPLICATION_DATE", "startDate cannot be more than 30 days ago");
            }
            if (end - start < TimeSpan.FromMinutes(1))
            {
                return Error(400, "INVALID_REPLICATION_DATE", "startDate must chronologically precede endDate by more than one minute");
            }
            lock (_gate)
            {
                var deleted = Opportunities.Where(r => r["IsDeleted"]?.GetValue<bool>() == true && Stamp(r) >= start && Stamp(r) < end)
                    .Select(r => (JsonNode?)new JsonObject { ["id"] = (string)r["Id"]!, ["deletedDate"] = (string)r["SystemModstamp"]! }).ToArray();
                return Results.Json(new JsonObject
                {
                    ["deletedRecords"] = new JsonArray(deleted),
                    ["earliestDateAvailable"] = Modstamp(_earliestDateAvailable),
                    ["latestDateCovered"] = Modstamp(end),
                });
            }
        });
    }
}
