using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.TestSupport;

namespace IntegrationSync.SyncApi.Tests.Inbound;

/// <summary>sync-api with a small body cap and notification rate, and a lenient answer bound (the bound is the benchmark's to measure).</summary>
public sealed class InboundHost : ApiHost
{
    public const int MaxBody = 4096;
    public const int RatePerMinute = 5;

    protected override IEnumerable<string> ExtraArgs =>
    [
        $"--webhooks:inbound:max_body_bytes={MaxBody}", $"--webhooks:inbound:rate_per_minute={RatePerMinute}",
        "--webhooks:inbound:response_timeout_ms=10000",
    ];

    /// <summary>A tenant, an integration of it that integration-manager knows, and the endpoint set up for it; returns the PUT's answer.</summary>
    public async Task<(string Tenant, string IntegrationId, JsonObject Endpoint)> EndpointAsync(object setup)
    {
        var tenant = Guid.NewGuid().ToString();
        var integrationId = IntegrationOf(tenant);
        using var client = ClientFor(tenant);
        var response = await client.PutAsJsonAsync($"/api/v1/integrations/{integrationId}/inbound-webhook", setup);
        return (tenant, integrationId, await ApiAssert.OkAsync(response));
    }

    public IReadOnlyList<WireMessage> Received(string integrationId) =>
        Wire.OfType(EventNames.WebhookReceived).Where(m => m.Data<WebhookReceived>().IntegrationId == integrationId).ToList();

    /// <summary>The notifications published for the integration once the probe (sent after them) has arrived: refused ones would be there by then.</summary>
    public async Task<IReadOnlyList<WireMessage>> ReceivedAfterAsync(string integrationId, Func<Task> probe)
    {
        var before = Received(integrationId).Count;
        await probe();
        await Wire.WaitUntilAsync(_ => Received(integrationId).Count > before, TimeSpan.FromSeconds(15), "the probe notification");
        return Received(integrationId).Take(before).ToList();
    }

    public static HttpRequestMessage StandardWebhook(string url, string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", $"v1,{signature}");
        return request;
    }

    /// <summary>As HubSpot signs: method + the URL with HubSpot's listed percent-encodings decoded (done here by hand) + body + timestamp.</summary>
    public static HttpRequestMessage HubSpot(string requestUrl, string signedUrl, string clientSecret, long timestampMs, string body)
    {
        var source = $"POST{signedUrl}{body}{timestampMs}";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), Encoding.UTF8.GetBytes(source)));
        var request = new HttpRequestMessage(HttpMethod.Post, requestUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-HubSpot-Signature-v3", signature);
        request.Headers.Add("X-HubSpot-Request-Timestamp", timestampMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return request;
    }

    public static string SalesforceMessage(string organizationId, params string[] notificationIds) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
         <soapenv:Body>
          <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
           <OrganizationId>{organizationId}</OrganizationId>
           <ActionId>04k5e000000CaRkAAK</ActionId>
           <SessionId xsi:nil="true"/>
           <EnterpriseUrl>https://example.my.salesforce.com/services/Soap/c/58.0/00D</EnterpriseUrl>
           <PartnerUrl>https://example.my.salesforce.com/services/Soap/u/58.0/00D</PartnerUrl>
           {string.Concat(notificationIds.Select(id => $"""
           <Notification>
            <Id>{id}</Id>
            <sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
             <sf:Id>0065e00000ZkM3hAAF</sf:Id>
             <sf:Name>Acme renewal</sf:Name>
            </sObject>
           </Notification>
           """))}
          </notifications>
         </soapenv:Body>
        </soapenv:Envelope>
        """;
}
