using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters.Salesforce;

/// <summary>
/// One integration's Salesforce API: the pinned instance, the versioned base URL, the sObject and the SELECT a read uses
/// (<c>FIELDS(STANDARD)</c> unless fields are configured, then always with <c>Id</c> and <c>SystemModstamp</c>).
/// </summary>
public sealed record SalesforceApi(Uri Instance, string Base, string SObject, IReadOnlyList<string> Fields, string AccessToken, string IntegrationId)
{
    private const string System = "salesforce";

    public static SalesforceApi For(AdapterHttp http, AdapterConnection connection, string entityType)
    {
        var settings = connection.Integration.Settings;
        var instance = http.Pinned(AdapterSettings.RequireUrl(connection, System, "instanceUrl", "instance_url"), "instanceUrl", "*.salesforce.com", "*.force.com");
        var version = AdapterSettings.Text(settings, "apiVersion") ?? "v60.0";
        if (!version.StartsWith('v'))
        {
            version = "v" + version;
        }
        var sObject = AdapterSettings.Identifier(SObjectName(settings, entityType), System, "sObject");
        var fields = AdapterSettings.List(settings["fields"] is JsonObject perObject ? perObject[sObject] ?? perObject[entityType] : settings["fields"])
            .Select(f => AdapterSettings.Identifier(f, System, "field")).ToList();
        // FIELDS(STANDARD) is allowed without a LIMIT and always includes Id, SystemModstamp and IsDeleted.
        IReadOnlyList<string> select = fields.Count == 0
            ? ["FIELDS(STANDARD)"]
            : ["Id", "SystemModstamp", .. fields.Where(f => f is not ("Id" or "SystemModstamp"))];
        return new SalesforceApi(instance, $"{instance.AbsoluteUri.TrimEnd('/')}/services/data/{version}", sObject, select,
            AdapterSettings.RequireAccessToken(connection, System), connection.Integration.Id);
    }

    /// <summary>Whether the configured SELECT returns <c>IsDeleted</c> itself (else a read that asks for it to find deletions drops it again).</summary>
    public bool SelectsIsDeleted => Fields is ["FIELDS(STANDARD)"] || Fields.Contains("IsDeleted");

    /// <summary>The SOQL of a read after <paramref name="after"/> (null: from the start), in the order its cursor follows.</summary>
    public string Soql(IReadOnlyList<string> columns, SalesforceCursor? after) =>
        $"SELECT {string.Join(", ", columns)} FROM {SObject}{(after is null ? "" : $" WHERE {after.Where()}")} ORDER BY SystemModstamp ASC, Id ASC";

    public HttpRequestMessage Request(HttpMethod method, string url)
    {
        var message = new HttpRequestMessage(method, url);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return message;
    }

    private static string SObjectName(JsonObject settings, string entityType)
    {
        if (settings["objects"] is JsonObject map && RecordIdentity.Text(map[entityType]) is { } mapped)
        {
            return mapped;
        }
        return entityType.Contains("__", StringComparison.Ordinal) || entityType.Length == 0
            ? entityType
            : char.ToUpper(entityType[0], CultureInfo.InvariantCulture) + entityType[1..];
    }
}
