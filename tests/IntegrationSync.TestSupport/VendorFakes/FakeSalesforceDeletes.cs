using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IntegrationSync.TestSupport.VendorFakes;

/// <summary>
/// Deleted Opportunities: kept in the Recycle Bin (<c>IsDeleted = true</c>, <c>SystemModstamp</c> the deletion) where only
/// <c>queryAll</c> and <c>getDeleted</c> see them, until the bin is emptied; then <c>earliestDateAvailable</c> moves up.
/// <c>getDeleted</c> refuses a start more than 30 days back or a window under a minute (<c>INVALID_REPLICATION_DATE</c>).
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

    private void MapDeletes(WebApplication app, string root) =>
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
