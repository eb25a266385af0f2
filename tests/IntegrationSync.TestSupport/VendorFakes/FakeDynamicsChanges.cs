using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace IntegrationSync.TestSupport.VendorFakes;

/// <summary>
/// Dataverse change tracking on <c>accounts</c>: a request with <c>Prefer: odata.track-changes</c> (and no <c>$filter</c>,
/// <c>$orderby</c>, <c>$expand</c> or <c>$top</c>) answers with <c>Preference-Applied</c>, pages by <c>@odata.nextLink</c>
/// and ends with an <c>@odata.deltaLink</c> (<c>$deltatoken=version!date</c>); following it returns the accounts changed
/// since, then the removed ones as <c>{"@odata.context": "…$deletedEntity", "id", "reason": "deleted"}</c>. A token older
/// than the table keeps changes for is refused with <c>ExpiredVersionStamp</c> (0x80044352). With change tracking off
/// the preference is ignored.
/// </summary>
public sealed partial class FakeDynamics
{
    private const int LargestPage = 5000;
    private readonly List<(string Id, int Version)> _removed = [];
    private int _oldestTrackedVersion;

    public bool ChangeTrackingEnabled { get; set; } = true;

    public void Delete(string id)
    {
        lock (_gate)
        {
            Accounts.RemoveAll(a => (string)a["accountid"]! == id);
            _removed.Add((id, ++_version));
        }
    }

    /// <summary>The delta tokens handed out so far are older than the table keeps changes (ExpireChangeTrackingInDays, 7 by default).</summary>
    public void ExpireChangeTracking()
    {
        lock (_gate)
        {
            // Versions go on: a token handed out from now on is current.
            _oldestTrackedVersion = ++_version;
        }
    }

    private static int MaxPageSize(string prefer) =>
        prefer.Split(',', StringSplitOptions.TrimEntries).FirstOrDefault(p => p.StartsWith("odata.maxpagesize=", StringComparison.Ordinal)) is { } size
            ? Math.Min(LargestPage, int.Parse(size["odata.maxpagesize=".Length..], CultureInfo.InvariantCulture))
            : LargestPage;

    /// <summary>The answer to a change-tracking request; null for a plain query.</summary>
    private IResult? Tracked(HttpRequest request, string prefer)
    {
        var delta = request.Query["$deltatoken"].ToString();
        var skip = request.Query["$skiptoken"].ToString();
        if (!ChangeTrackingEnabled || !(prefer.Contains("odata.track-changes", StringComparison.Ordinal) || delta.Length > 0 || skip.Contains('~')))
        {
            return null;
        }
        if (new[] { "$filter", "$orderby", "$expand", "$top" }.FirstOrDefault(o => request.Query.ContainsKey(o)) is { } unsupported)
        {
            return Error(400, "0x80060888", $"The \"{unsupported}\" query parameter isn't supported when Change Tracking is enabled.");
        }
        int? since = delta.Length > 0 ? int.Parse(delta.Split('!')[0], CultureInfo.InvariantCulture) : null;
        var (offset, snapshot) = skip.Contains('~')
            ? (int.Parse(skip.Split('~')[0], CultureInfo.InvariantCulture), int.Parse(skip.Split('~')[1], CultureInfo.InvariantCulture))
            : (0, 0);
        List<JsonObject> changes;
        lock (_gate)
        {
            if (since < _oldestTrackedVersion)
            {
                return Error(400, "0x80044352", "Version stamp associated with the client has expired. Please perform a full sync.");
            }
            snapshot = skip.Contains('~') ? snapshot : _version;
            changes = since is not { } version
                ? Accounts.OrderBy(a => (string)a["accountid"]!, StringComparer.Ordinal).Select(a => a.DeepClone().AsObject()).ToList()
                : Accounts.Where(a => Version(a) > version && Version(a) <= snapshot).OrderBy(Version).Select(a => a.DeepClone().AsObject())
                    .Concat(_removed.Where(r => r.Version > version && r.Version <= snapshot).OrderBy(r => r.Version).Select(r => new JsonObject
                    {
                        ["@odata.context"] = $"{EnvironmentUrl}{Root}/$metadata#accounts/$deletedEntity", ["id"] = r.Id, ["reason"] = "deleted",
                    }))
                    .ToList();
        }
        var size = MaxPageSize(prefer);
        var select = request.Query["$select"].ToString();
        var query = select.Length > 0 ? $"$select={select}&" : "";
        var body = new JsonObject
        {
            ["@odata.context"] = $"{EnvironmentUrl}{Root}/$metadata#accounts({select}){(since is null ? "" : "/$delta")}",
            ["value"] = new JsonArray(changes.Skip(offset).Take(size).Select(r => (JsonNode?)r).ToArray()),
        };
        if (offset + size < changes.Count)
        {
            var deltaToken = since is null ? "" : $"$deltatoken={Uri.EscapeDataString(delta)}&";
            body["@odata.nextLink"] = $"{NextLinkHost ?? EnvironmentUrl}{Root}/accounts?{query}{deltaToken}$skiptoken={offset + size}~{snapshot}";
        }
        else
        {
            var token = $"{snapshot}!{DateTimeOffset.UtcNow.UtcDateTime.ToString("MM/dd/yyyy HH:mm:ss", CultureInfo.InvariantCulture)}";
            body["@odata.deltaLink"] = $"{NextLinkHost ?? EnvironmentUrl}{Root}/accounts?{query}$deltatoken={Uri.EscapeDataString(token)}";
        }
        return new TrackedResult(body);
    }

    private static int Version(JsonObject account) => int.Parse(((string)account["@odata.etag"]!)[3..^1], CultureInfo.InvariantCulture);

    /// <summary>The JSON with <c>Preference-Applied: odata.track-changes</c>.</summary>
    private sealed class TrackedResult(JsonObject body) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers["Preference-Applied"] = "odata.track-changes";
            return Results.Json(body).ExecuteAsync(context);
        }
    }
}
