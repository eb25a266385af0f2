using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters.Dynamics365;

/// <summary>One integration's Dataverse Web API: the pinned environment, the versioned base URL, the entity set, its key and the columns a read selects.</summary>
public sealed record DynamicsApi(Uri Environment, string Base, string EntitySet, string Key, IReadOnlyList<string> Select, string AccessToken)
{
    public const string System = "dynamics365";

    // Commercial and regional clouds (crm.dynamics.com, crm4.dynamics.com, …), US government and China.
    private static readonly string[] Hosts = ["*.dynamics.com", "*.microsoftdynamics.us", "*.appsplatform.us", "*.dynamics.cn"];

    public static DynamicsApi For(AdapterHttp http, AdapterConnection connection, string entityType)
    {
        var settings = connection.Integration.Settings;
        var environment = http.Pinned(AdapterSettings.RequireUrl(connection, System, "environmentUrl", "instanceUrl", "resource"), "environmentUrl", Hosts);
        var version = AdapterSettings.Text(settings, "apiVersion") ?? "v9.2";
        if (!version.StartsWith('v'))
        {
            version = "v" + version;
        }
        var logical = AdapterSettings.Identifier(entityType.ToLowerInvariant(), System, "entity");
        var entitySet = settings["entitySets"] is JsonObject sets && RecordIdentity.Text(sets[entityType]) is { } mapped ? mapped : Plural(logical);
        var key = settings["keys"] is JsonObject keys && RecordIdentity.Text(keys[entityType]) is { } mappedKey ? mappedKey : logical + "id";
        var select = AdapterSettings.List(settings["select"] is JsonObject perEntity ? perEntity[entityType] : settings["select"])
            .Select(f => AdapterSettings.Identifier(f, System, "column")).ToList();
        if (select.Count > 0)
        {
            select = [.. select.Append(key).Append("modifiedon").Distinct(StringComparer.Ordinal)];
        }
        return new DynamicsApi(environment, $"{environment.AbsoluteUri.TrimEnd('/')}/api/data/{version}", AdapterSettings.Identifier(entitySet, System, "entity set"),
            AdapterSettings.Identifier(key, System, "key"), select, AdapterSettings.RequireAccessToken(connection, System));
    }

    /// <summary>The defining query of a change-tracking read: the entity set and the read's columns (it takes no <c>$filter</c>, <c>$orderby</c> or <c>$top</c>).</summary>
    public string TrackedUrl() => Select.Count == 0 ? $"{Base}/{EntitySet}" : $"{Base}/{EntitySet}?$select={string.Join(',', Select)}";

    /// <summary>A delta response's removed entry (<c>@odata.context</c> ending in <c>$deletedEntity</c>, the key in <c>id</c>); null for a record.</summary>
    public static DeletedRecord? Removed(JsonObject row) =>
        RecordIdentity.Text(row["@odata.context"])?.EndsWith("$deletedEntity", StringComparison.Ordinal) == true
            ? RecordIdentity.Text(row["reason"]) is null or "deleted" && RecordIdentity.Text(row["id"]) is { } id ? new DeletedRecord(id) : null
            : null;

    public string RecordUrl(string id) => Guid.TryParse(id, out var guid)
        ? $"{Base}/{EntitySet}({guid:D})"
        : throw new AdapterException(AdapterErrorKind.Permanent, $"dynamics365: '{id}' is not a record id (GUID)");

    public HttpRequestMessage Request(HttpMethod method, string url)
    {
        var message = new HttpRequestMessage(method, url);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        message.Headers.Add("OData-MaxVersion", "4.0");
        message.Headers.Add("OData-Version", "4.0");
        return message;
    }

    public SourceRecord ToRecord(JsonObject row)
    {
        var data = row.DeepClone().AsObject();
        var etag = RecordIdentity.Text(data["@odata.etag"]);
        data.Remove("@odata.etag");
        data.Remove("@odata.context");
        return new SourceRecord(RecordIdentity.Text(data[Key]) ?? RecordIdentity.ContentHash(data), data, etag);
    }

    public DynamicsCursor? CursorOf(JsonObject row) =>
        DateTimeOffset.TryParse(RecordIdentity.Text(row["modifiedon"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var modified)
        && Guid.TryParse(RecordIdentity.Text(row[Key]), out var id)
            ? new DynamicsCursor(modified, id)
            : null;

    /// <summary>Entity set names are the logical name's plural (opportunity → opportunities, account → accounts).</summary>
    private static string Plural(string logical) =>
        logical.EndsWith('y') && !logical.EndsWith("ey", StringComparison.Ordinal) ? logical[..^1] + "ies"
        : logical.EndsWith('s') || logical.EndsWith('x') ? logical + "es"
        : logical + "s";
}
