using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.SyncRunner.Adapters;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>
/// What the outbound side needs of a vendor record: its mapped values, its version (the concurrency token of the next
/// write; a content hash where the vendor has none), when it was last modified (for <c>newest_wins</c>), and whether the
/// change that produced it carries our own writer tag (Salesforce CDC <c>changeOrigin</c>, HubSpot
/// <c>changeSource</c>/<c>sourceId</c>, Dataverse <c>tag</c>), which makes it our echo.
/// </summary>
public static class RemoteRecord
{
    private static readonly string[] ModifiedFields =
        ["SystemModstamp", "LastModifiedDate", "updatedAt", "hs_lastmodifieddate", "modifiedon", "modifiedAt", "lastModified", "updated_at"];

    public static string Version(SourceRecord record, JsonObject mapped) => record.Version ?? "hash-" + CanonicalJson.Hash(mapped);

    /// <summary>One version however it is spelled: an ETag header (<c>W/"7"</c>, <c>"7"</c>) and the record's version field (<c>7</c>).</summary>
    public static bool SameVersion(string? a, string? b) => a is not null && b is not null && Bare(a) == Bare(b);

    private static string Bare(string version) => (version.StartsWith("W/", StringComparison.Ordinal) ? version[2..] : version).Trim('"');

    public static DateTimeOffset? ModifiedAt(JsonObject data, JsonObject settings)
    {
        var configured = settings["modifiedField"] is JsonValue v && v.TryGetValue<string>(out var name) ? name : null;
        foreach (var field in configured is null ? ModifiedFields : [configured, .. ModifiedFields])
        {
            if (IsoTime.Parse(RecordIdentity.Text(data[field])) is { } at)
            {
                return at;
            }
        }
        return null;
    }

    /// <summary>True when the record says the change came from us: <paramref name="writerTag"/> as Salesforce's client or Dataverse's tag, or HubSpot's integration source of our app.</summary>
    public static bool CarriesOurTag(JsonObject data, string writerTag, JsonObject settings)
    {
        var origin = RecordIdentity.Text(data["ChangeEventHeader"]?["changeOrigin"]) ?? RecordIdentity.Text(data["changeOrigin"]);
        if (origin?.Contains($"client={writerTag}", StringComparison.Ordinal) == true)
        {
            return true;
        }
        var tag = RecordIdentity.Text(data["tag"]) ?? RecordIdentity.Text(data["SharedVariables"]?["tag"]);
        if (tag == writerTag)
        {
            return true;
        }
        var appId = RecordIdentity.Text(settings["appId"]);
        return appId is not null && RecordIdentity.Text(data["changeSource"]) == "INTEGRATION" && RecordIdentity.Text(data["sourceId"]) == appId;
    }
}
