using System.Security.Cryptography;
using System.Text;
using System.Xml;

namespace IntegrationSync.SyncApi.Inbound;

/// <summary>
/// Salesforce Outbound Messages carry no signature: the endpoint URL holds a secret path token (compared before the body is
/// read), and the SOAP body must name the tenant's organization. Salesforce sends a message until it gets the SOAP
/// acknowledgement (HTTP 200, <c>&lt;Ack&gt;true&lt;/Ack&gt;</c>) and may send one more than once; the replay key is the set
/// of notification ids, and a message seen before is acknowledged again without a second sync.
/// </summary>
public static class SalesforceOutboundMessage
{
    private const string OutboundNs = "http://soap.sforce.com/2005/09/outbound";
    private const string XsiNs = "http://www.w3.org/2001/XMLSchema-instance";

    public const string Ack = """
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>
        """;

    public static InboundVerdict Verify(InboundRequest request, InboundEndpointDocument endpoint)
    {
        if (request.PathToken is not { } token || endpoint.PathToken is not { } expected || !ConstantTime.SecretEquals(token, expected))
        {
            return InboundVerdict.Unverified("The endpoint URL's token is missing or wrong");
        }
        var (organizationId, notificationIds, types) = Read(request.Body);
        if (organizationId is null || notificationIds.Count == 0)
        {
            return InboundVerdict.Malformed("Not a Salesforce outbound message (notifications with OrganizationId and Notification ids)");
        }
        if (!SameOrganization(organizationId, endpoint.OrganizationId))
        {
            return InboundVerdict.Unverified("The message comes from another Salesforce organization");
        }
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', notificationIds.Order(StringComparer.Ordinal)))));
        return InboundVerdict.Accept($"salesforce:{key}", types is [var single] ? single : null);
    }

    /// <summary>15- and 18-character ids of one organization share their first 15 characters (case-sensitive).</summary>
    private static bool SameOrganization(string given, string? expected) =>
        expected is not null && given.Length >= 15 && expected.Length >= 15 && ConstantTime.SecretEquals(given[..15], expected[..15]);

    private static (string? OrganizationId, List<string> NotificationIds, List<string> Types) Read(byte[] body)
    {
        string? organizationId = null;
        var ids = new List<string>();
        var types = new HashSet<string>(StringComparer.Ordinal);
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), settings);
            var depthOfNotification = -1;
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.NamespaceURI != OutboundNs)
                {
                    continue;
                }
                switch (reader.LocalName)
                {
                    case "OrganizationId":
                        organizationId = reader.ReadElementContentAsString().Trim();
                        break;
                    case "Notification":
                        depthOfNotification = reader.Depth;
                        break;
                    case "Id" when reader.Depth == depthOfNotification + 1:
                        ids.Add(reader.ReadElementContentAsString().Trim());
                        break;
                    case "sObject" when reader.GetAttribute("type", XsiNs) is { } type:
                        types.Add(type[(type.IndexOf(':') + 1)..].ToLowerInvariant());
                        break;
                }
            }
        }
        catch (XmlException)
        {
            return (null, [], []);
        }
        return (organizationId, ids.Where(i => i.Length > 0).Distinct().ToList(), [.. types]);
    }
}
