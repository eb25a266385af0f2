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

    public static readonly AdapterDescriptor IntegrationManager = new("integration-manager", "integration-manager /fetch delegation", ["read"],
        new Dictionary<string, string>
        {
            ["pageSize"] = "records per /fetch call (limit; default 1000)",
        });

    public static readonly AdapterDescriptor Salesforce = new("salesforce", "Salesforce (REST / SOQL)", ["read", "write", "incremental", "read_one"],
        new Dictionary<string, string>
        {
            ["instanceUrl"] = "https://<domain>.my.salesforce.com (or credentials.instanceUrl)",
            ["apiVersion"] = "REST API version (default v60.0)",
            ["fields"] = "fields to select per object (default: Id, Name, SystemModstamp and common fields)",
        });

    public static readonly AdapterDescriptor HubSpot = new("hubspot", "HubSpot (CRM v3 objects)", ["read", "write", "incremental", "read_one"],
        new Dictionary<string, string>
        {
            ["baseUrl"] = "API base URL (default https://api.hubapi.com)",
            ["properties"] = "properties to read per object",
        });

    public static readonly AdapterDescriptor Dynamics365 = new("dynamics365", "Dynamics 365 (Web API / OData)", ["read", "write", "incremental", "read_one"],
        new Dictionary<string, string>
        {
            ["environmentUrl"] = "https://<org>.crm.dynamics.com",
            ["apiVersion"] = "Web API version (default v9.2)",
            ["pageSize"] = "Prefer: odata.maxpagesize (default 500)",
        });

    public static readonly AdapterDescriptor Rest = new("rest", "Generic REST / JSON", ["read", "write", "incremental"],
        new Dictionary<string, string>
        {
            ["url"] = "list endpoint URL",
            ["authHeader"] = "header carrying the credential (default Authorization)",
            ["authScheme"] = "prefix of the credential value (default Bearer)",
            ["recordsPath"] = "dot path of the record array in a response (default: the body itself)",
            ["idField"] = "field holding the record id (default id)",
            ["paging"] = "cursor | next_link | none",
            ["cursorParam"] = "query parameter that carries the cursor (cursor paging)",
            ["cursorPath"] = "dot path of the next cursor in a response (cursor paging)",
            ["nextLinkPath"] = "dot path of the next page URL in a response (next_link paging)",
        });

    public static readonly IReadOnlyList<AdapterDescriptor> All = [Sample, IntegrationManager, Salesforce, HubSpot, Dynamics365, Rest];
}
