namespace IntegrationSync.SyncApi.Inbound;

public static class InboundProviders
{
    /// <summary>Standard Webhooks 1.0 senders (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>).</summary>
    public const string Standard = "standard";

    /// <summary>HubSpot webhooks, <c>X-HubSpot-Signature-v3</c> with the app's client secret.</summary>
    public const string HubSpot = "hubspot";

    /// <summary>Salesforce Outbound Messages (SOAP), a secret path token and the organization id.</summary>
    public const string Salesforce = "salesforce";

    /// <summary>Dynamics 365 / Dataverse service endpoint webhooks with a shared key.</summary>
    public const string Dynamics = "dynamics";

    public static readonly IReadOnlyList<string> All = [Standard, HubSpot, Salesforce, Dynamics];
}
