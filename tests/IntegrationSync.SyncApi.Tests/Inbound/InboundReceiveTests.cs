using System.Net;
using System.Text;
using IntegrationSync.Shared.Contracts.Events;

namespace IntegrationSync.SyncApi.Tests.Inbound;

/// <summary>Provider notifications end to end through the real API host: what is accepted publishes integration.webhook.received; what is refused publishes nothing.</summary>
public sealed class InboundReceiveTests(InboundHost host) : IClassFixture<InboundHost>
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    [Fact]
    public async Task A_signed_standard_webhook_triggers_a_sync_for_the_endpoints_tenant_and_filters_whatever_the_request_says()
    {
        var (tenant, integrationId, endpoint) = await host.EndpointAsync(new { provider = "standard", entityType = "deal", filters = new { pipeline = "sales" } });
        using var provider = host.AnonymousClient();

        var request = InboundHost.StandardWebhook(Url(endpoint), Secret(endpoint), "evt_1", Now, """{"type":"deal.updated","tenantId":"someone-else"}""");
        request.Headers.Add("X-Tenant-ID", Guid.NewGuid().ToString());

        var response = await provider.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var published = await WaitForAsync(integrationId, 1);
        var data = published[0].Data<WebhookReceived>();
        Assert.Equal((tenant, integrationId, "deal"), (published[0].Envelope.TenantId, data.IntegrationId, data.EntityType));
        Assert.Equal(tenant, data.TenantId);
        Assert.Equal("""{"pipeline":"sales"}""", data.Filters?.ToJsonString());
        Assert.Equal("""{"pipeline":"sales"}""", endpoint["filters"]?.ToJsonString());
    }

    [Fact]
    public async Task Unsigned_mis_signed_stale_and_replayed_standard_webhooks_are_401_and_publish_nothing()
    {
        var (_, integrationId, endpoint) = await host.EndpointAsync(new { provider = "standard" });
        using var provider = host.AnonymousClient();
        var valid = InboundHost.StandardWebhook(Url(endpoint), Secret(endpoint), "evt_ok", Now, "{}");
        Assert.Equal(HttpStatusCode.Accepted, (await provider.SendAsync(valid)).StatusCode);

        var unsigned = new HttpRequestMessage(HttpMethod.Post, Url(endpoint)) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        var misSigned = InboundHost.StandardWebhook(Url(endpoint), "whsec_" + Convert.ToBase64String(new byte[32]), "evt_2", Now, "{}");
        var unparsable = InboundHost.StandardWebhook(Url(endpoint), "whsec_" + Convert.ToBase64String(new byte[32]), "evt_3", Now, "not json {");
        var stale = InboundHost.StandardWebhook(Url(endpoint), Secret(endpoint), "evt_4", Now - 301, "{}");
        var replay = InboundHost.StandardWebhook(Url(endpoint), Secret(endpoint), "evt_ok", long.Parse(valid.Headers.GetValues("webhook-timestamp").Single(),
            System.Globalization.CultureInfo.InvariantCulture), "{}");

        await ApiAssert.ErrorAsync(await provider.SendAsync(unsigned), HttpStatusCode.Unauthorized, "WEBHOOK_SIGNATURE_INVALID");
        await ApiAssert.ErrorAsync(await provider.SendAsync(misSigned), HttpStatusCode.Unauthorized, "WEBHOOK_SIGNATURE_INVALID");
        await ApiAssert.ErrorAsync(await provider.SendAsync(unparsable), HttpStatusCode.Unauthorized, "WEBHOOK_SIGNATURE_INVALID");
        await ApiAssert.ErrorAsync(await provider.SendAsync(stale), HttpStatusCode.Unauthorized, "WEBHOOK_TIMESTAMP_STALE");
        await ApiAssert.ErrorAsync(await provider.SendAsync(replay), HttpStatusCode.Unauthorized, "WEBHOOK_REPLAYED");

        var before = await host.ReceivedAfterAsync(integrationId,
            () => provider.SendAsync(InboundHost.StandardWebhook(Url(endpoint), Secret(endpoint), "evt_probe", Now, "{}")));
        Assert.Single(before);
    }

    [Fact]
    public async Task A_hubspot_v3_signature_over_the_decoded_url_is_accepted_and_names_the_object_type()
    {
        const string clientSecret = "a7c2e5a8-4a1f-4d9e-9a57-6f0f4ad1c8b3";
        var (_, integrationId, endpoint) = await host.EndpointAsync(new { provider = "hubspot", secret = clientSecret });
        using var provider = host.AnonymousClient();
        var origin = host.BaseAddress.ToString().TrimEnd('/');
        var requestUrl = $"{origin}{Url(endpoint)}?portal=62515%3Aeu1";
        var signedUrl = $"{origin}{Url(endpoint)}?portal=62515:eu1";
        const string body = """[{"eventId":1,"subscriptionType":"contact.propertyChange","objectId":123},{"eventId":2,"subscriptionType":"contact.creation","objectId":124}]""";
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var accepted = await provider.SendAsync(InboundHost.HubSpot(requestUrl, signedUrl, clientSecret, nowMs, body));
        var misSigned = await provider.SendAsync(InboundHost.HubSpot(requestUrl, signedUrl, "another-apps-secret", nowMs, body));
        var tampered = await provider.SendAsync(InboundHost.HubSpot(requestUrl, signedUrl + "&x=1", clientSecret, nowMs, body));
        var stale = await provider.SendAsync(InboundHost.HubSpot(requestUrl, signedUrl, clientSecret, nowMs - 301_000, body));
        var replayed = await provider.SendAsync(InboundHost.HubSpot(requestUrl, signedUrl, clientSecret, nowMs, body));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await ApiAssert.ErrorAsync(misSigned, HttpStatusCode.Unauthorized, "WEBHOOK_SIGNATURE_INVALID");
        await ApiAssert.ErrorAsync(tampered, HttpStatusCode.Unauthorized, "WEBHOOK_SIGNATURE_INVALID");
        await ApiAssert.ErrorAsync(stale, HttpStatusCode.Unauthorized, "WEBHOOK_TIMESTAMP_STALE");
        await ApiAssert.ErrorAsync(replayed, HttpStatusCode.Unauthorized, "WEBHOOK_REPLAYED");
        Assert.Equal("contact", (await WaitForAsync(integrationId, 1))[0].Data<WebhookReceived>().EntityType);
    }

    [Fact]
    public async Task A_salesforce_outbound_message_is_acknowledged_once_per_notification_set_and_needs_the_token_and_the_organization()
    {
        var (_, integrationId, endpoint) = await host.EndpointAsync(new { provider = "salesforce", organizationId = "00D5e000000KQ2e" });
        using var provider = host.AnonymousClient();
        var url = Url(endpoint);
        var message = InboundHost.SalesforceMessage("00D5e000000KQ2eEAG", "04l5e00000Gx7QzAAJ", "04l5e00000Gx7R0AAJ");

        var acknowledged = await provider.PostAsync(url, Soap(message));
        var again = await provider.PostAsync(url, Soap(message));
        var wrongToken = await provider.PostAsync(url[..url.LastIndexOf('/')] + "/not-the-token", Soap(message));
        var noToken = await provider.PostAsync(url[..url.LastIndexOf('/')], Soap(message));
        var otherOrg = await provider.PostAsync(url, Soap(InboundHost.SalesforceMessage("00D000000000001", "04l5e00000Gx7R1AAJ")));

        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        Assert.Contains("<Ack>true</Ack>", await acknowledged.Content.ReadAsStringAsync());
        Assert.StartsWith("text/xml", acknowledged.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Contains("<Ack>true</Ack>", await again.Content.ReadAsStringAsync());
        await ApiAssert.ErrorAsync(wrongToken, HttpStatusCode.Unauthorized, "WEBHOOK_SIGNATURE_INVALID");
        await ApiAssert.ErrorAsync(noToken, HttpStatusCode.Unauthorized, "WEBHOOK_SIGNATURE_INVALID");
        await ApiAssert.ErrorAsync(otherOrg, HttpStatusCode.Unauthorized, "WEBHOOK_SIGNATURE_INVALID");
        var published = await host.ReceivedAfterAsync(integrationId,
            () => provider.PostAsync(url, Soap(InboundHost.SalesforceMessage("00D5e000000KQ2eEAG", "04l5e00000Gx7R2AAJ"))));
        Assert.Equal("opportunity", Assert.Single(published).Data<WebhookReceived>().EntityType);
    }

    [Fact]
    public async Task A_dynamics_webhook_is_accepted_with_its_shared_key_in_the_header_or_as_code()
    {
        var (_, integrationId, endpoint) = await host.EndpointAsync(new { provider = "dynamics" });
        using var provider = host.AnonymousClient();
        var key = Secret(endpoint);

        var byHeader = Dynamics(Url(endpoint), """{"MessageName":"Update","PrimaryEntityName":"account","RequestId":"r1"}""");
        byHeader.Headers.Add("x-castiel-webhook-key", key);
        byHeader.Headers.Add("x-ms-dynamics-entity-name", "account");
        var byCode = Dynamics($"{Url(endpoint)}?code={Uri.EscapeDataString(key)}", """{"MessageName":"Create","PrimaryEntityName":"contact","RequestId":"r2"}""");
        var wrongKey = Dynamics(Url(endpoint), """{"PrimaryEntityName":"account","RequestId":"r3"}""");
        wrongKey.Headers.Add("x-castiel-webhook-key", key + "x");
        var notJson = Dynamics(Url(endpoint), "<xml/>");
        notJson.Headers.Add("x-castiel-webhook-key", key);

        Assert.Equal(HttpStatusCode.Accepted, (await provider.SendAsync(byHeader)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await provider.SendAsync(byCode)).StatusCode);
        await ApiAssert.ErrorAsync(await provider.SendAsync(wrongKey), HttpStatusCode.Unauthorized, "WEBHOOK_SIGNATURE_INVALID");
        await ApiAssert.ErrorAsync(await provider.SendAsync(notJson), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var types = (await WaitForAsync(integrationId, 2)).Select(m => m.Data<WebhookReceived>().EntityType).Order();
        Assert.Equal(["account", "contact"], types);
    }

    [Fact]
    public async Task A_notification_for_an_integration_without_an_endpoint_is_401()
    {
        using var provider = host.AnonymousClient();

        var response = await provider.SendAsync(InboundHost.StandardWebhook($"/api/v1/webhooks/inbound/{Guid.NewGuid()}",
            "whsec_" + Convert.ToBase64String(new byte[32]), "evt", Now, "{}"));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "WEBHOOK_SIGNATURE_INVALID");
    }

    [Fact]
    public async Task A_body_over_the_cap_is_413_before_anything_is_verified()
    {
        var (_, _, endpoint) = await host.EndpointAsync(new { provider = "standard" });
        using var provider = host.AnonymousClient();

        var response = await provider.SendAsync(InboundHost.StandardWebhook(Url(endpoint), Secret(endpoint), "evt_big", Now,
            $$"""{"pad":"{{new string('x', InboundHost.MaxBody)}}"}"""));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
    }

    [Fact]
    public async Task Notifications_over_the_integrations_rate_are_429_with_Retry_After_and_are_not_taken_for_replays_later()
    {
        var (_, integrationId, endpoint) = await host.EndpointAsync(new { provider = "standard" });
        using var provider = host.AnonymousClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i <= InboundHost.RatePerMinute; i++)
        {
            var response = await provider.SendAsync(InboundHost.StandardWebhook(Url(endpoint), Secret(endpoint), $"evt_{i}", Now, "{}"));
            statuses.Add(response.StatusCode);
            limited = response;
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Accepted, InboundHost.RatePerMinute), statuses.Take(InboundHost.RatePerMinute));
        await ApiAssert.ErrorAsync(limited!, HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.InRange(limited!.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal(InboundHost.RatePerMinute, (await WaitForAsync(integrationId, InboundHost.RatePerMinute)).Count);
    }

    private static string Url(System.Text.Json.Nodes.JsonObject endpoint) => endpoint["url"]!.GetValue<string>();

    private static string Secret(System.Text.Json.Nodes.JsonObject endpoint) => endpoint["secret"]!.GetValue<string>();

    private static StringContent Soap(string xml) => new(xml, Encoding.UTF8, "text/xml");

    private static HttpRequestMessage Dynamics(string url, string body) =>
        new(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private async Task<IReadOnlyList<IntegrationSync.TestSupport.WireMessage>> WaitForAsync(string integrationId, int count)
    {
        await host.Wire.WaitUntilAsync(_ => host.Received(integrationId).Count >= count, TimeSpan.FromSeconds(15), $"{count} webhook.received");
        return host.Received(integrationId);
    }
}
