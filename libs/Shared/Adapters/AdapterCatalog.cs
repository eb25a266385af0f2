namespace IntegrationSync.Shared.Adapters;

/// <summary>Name, capabilities and settings of one built-in adapter; the runner implements it, the API lists it.</summary>
public sealed record AdapterDescriptor(string Name, string DisplayName, IReadOnlyList<string> Capabilities, IReadOnlyDictionary<string, string> Settings);

/// <summary>The adapters the runner supports (integration <c>providerName</c> → adapter).</summary>
public static class AdapterCatalog
{
    public static readonly AdapterDescriptor Sample = new("sample", "Sample data generator", ["read", "incremental"],
        new Dictionary<string, string>
        {
            ["count"] = "records in the data set (default 25)",
            ["pageSize"] = "records per page (default 100)",
            ["seed"] = "generator seed (default 42)",
            ["pageDelayMs"] = "delay before each page, standing in for a vendor's response time (default 0)",
        });

    public static readonly AdapterDescriptor IntegrationManager = new("integration-manager", "integration-manager /fetch delegation", ["read", "read_one"],
        new Dictionary<string, string>
        {
            ["pageSize"] = "records per /fetch call (limit; default 1000); a shorter page ends the read. Writes are not supported (the peer has no /push)",
        });

    public static readonly AdapterDescriptor Salesforce = new("salesforce", "Salesforce (REST / SOQL)", ["read", "write", "incremental", "read_one"],
        new Dictionary<string, string>
        {
            ["instanceUrl"] = "https://<domain>.my.salesforce.com, an https *.salesforce.com or *.force.com host (credentials.instanceUrl wins)",
            ["apiVersion"] = "REST API version (default v60.0)",
            ["objects"] = "entity type → sObject map, e.g. {\"opportunity\": \"Opportunity\"} (default: entity type with a capital first letter)",
            ["fields"] = "fields to select, a list or a per-sObject map of lists (default FIELDS(STANDARD)); Id and SystemModstamp are always selected",
            ["pageSize"] = "query batch size, 200-2000 (Sforce-Query-Options; default 2000), at most the operator's adapter_http.max_page_size",
        });

    public static readonly AdapterDescriptor HubSpot = new("hubspot", "HubSpot (CRM v3 objects)", ["read", "write", "incremental", "read_one"],
        new Dictionary<string, string>
        {
            ["baseUrl"] = "API base URL: https://api.hubapi.com (the default)",
            ["objects"] = "entity type → object type map (default: opportunity → deals, contact → contacts, company → companies, ticket → tickets)",
            ["properties"] = "properties to read, a list or a per-object map of lists (default: HubSpot's default properties)",
            ["pageSize"] = "search page size, 1-200 (default 200)",
        });

    public static readonly AdapterDescriptor Dynamics365 = new("dynamics365", "Dynamics 365 (Web API / OData)", ["read", "write", "incremental", "read_one"],
        new Dictionary<string, string>
        {
            ["environmentUrl"] = "https://<org>.crm.dynamics.com, an https *.dynamics.com host or a government/China cloud's (credentials.environmentUrl wins)",
            ["apiVersion"] = "Web API version (default v9.2)",
            ["pageSize"] = "Prefer: odata.maxpagesize, at most 5000 (default 5000, fewer when a page would exceed adapter_http.max_response_bytes)",
            ["entitySets"] = "entity type → entity set map (default: the plural of the entity type, e.g. opportunity → opportunities)",
            ["keys"] = "entity type → primary key column map (default: <entity type>id)",
            ["select"] = "columns to read, a list or a per-entity map of lists (default: all)",
        });

    public static readonly AdapterDescriptor Rest = new("rest", "Generic REST / JSON", ["read", "write", "incremental", "read_one"],
        new Dictionary<string, string>
        {
            ["url"] = "list endpoint URL on a public host; records are read at {url}/{id} and updated there",
            ["authHeader"] = "header carrying the credential (default Authorization); the credential is token, apiKey or accessToken of the secret",
            ["authScheme"] = "prefix of the credential value (default Bearer; empty for none)",
            ["recordsPath"] = "dot path of the record array in a response (default: the body itself)",
            ["idField"] = "field holding the record id (default id; records without it get a content hash)",
            ["paging"] = "cursor | next_link | none",
            ["cursorParam"] = "query parameter that carries the cursor (cursor paging; default cursor)",
            ["cursorPath"] = "dot path of the next cursor in a response (cursor paging)",
            ["nextLinkPath"] = "dot path of the next page URL in a response (next_link paging; followed only on the host of url)",
            ["versionField"] = "field holding the record version when the API sends no ETag",
            ["updateMethod"] = "PATCH (default) or PUT",
            ["deletedField"] = "dot path of a tombstone field: a record where it is true, a non-empty text (the deletion time) or a non-zero number is reported deleted",
        });

    public static readonly IReadOnlyList<AdapterDescriptor> All = [Sample, IntegrationManager, Salesforce, HubSpot, Dynamics365, Rest];

    /// <summary>The adapter of an integration's <c>providerName</c>: a built-in one, else the integration-manager delegation.</summary>
    public static AdapterDescriptor For(string? providerName) =>
        All.FirstOrDefault(a => string.Equals(a.Name, providerName, StringComparison.OrdinalIgnoreCase)) ?? IntegrationManager;
}
