using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace IntegrationSync.SyncApi.Tests.Security;

public sealed class MalformedRequestTests(ApiHost host) : IClassFixture<ApiHost>
{
    private const string Uuid = "5f2b6a1e-8c3d-4e7f-9a10-2b3c4d5e6f70";

    [Theory]
    [InlineData("POST", "/api/v1/sync/trigger", "{not json", "application/json", 400, "VALIDATION_ERROR")]
    [InlineData("POST", "/api/v1/sync/trigger", "", "application/json", 400, "VALIDATION_ERROR")]
    [InlineData("POST", "/api/v1/sync/trigger", "[]", "application/json", 400, "VALIDATION_ERROR")]
    [InlineData("POST", "/api/v1/sync/trigger", "\"text\"", "application/json", 400, "VALIDATION_ERROR")]
    [InlineData("POST", "/api/v1/sync/trigger", "integrationId=" + Uuid, "application/x-www-form-urlencoded", 415, "UNSUPPORTED_MEDIA_TYPE")]
    [InlineData("POST", "/api/v1/sync/trigger", """{"integrationId":["x"]}""", "application/json", 400, "VALIDATION_ERROR")]
    [InlineData("POST", "/api/v1/sync/trigger", """{"integrationId":"INT","direction":"pull"}""", "application/json", 400, "VALIDATION_ERROR")]
    [InlineData("POST", "/api/v1/sync/trigger", """{"integrationId":"INT","direction":1}""", "application/json", 400, "VALIDATION_ERROR")]
    [InlineData("POST", "/api/v1/sync/trigger", """{"integrationId":"INT","entityType":{}}""", "application/json", 400, "VALIDATION_ERROR")]
    [InlineData("POST", "/api/v1/sync/conflicts/" + Uuid + "/resolve", "{", "application/json", 400, "VALIDATION_ERROR")]
    [InlineData("POST", "/api/v1/sync/conflicts/" + Uuid + "/resolve", """{"resolution":"SOURCE_WINS"}""", "application/json", 400, "VALIDATION_ERROR")]
    [InlineData("POST", "/api/v1/webhooks", "null", "application/json", 400, "VALIDATION_ERROR")]
    [InlineData("PUT", "/api/v1/webhooks/" + Uuid, "{\"active\":", "application/json", 400, "VALIDATION_ERROR")]
    [InlineData("GET", "/api/v1/sync/tasks?limit=-1", null, null, 400, "VALIDATION_ERROR")]
    [InlineData("GET", "/api/v1/sync/conflicts?resolved=maybe", null, null, 400, "VALIDATION_ERROR")]
    [InlineData("GET", "/api/v1/sync/tasks/" + Uuid + "/executions?limit=500", null, null, 400, "VALIDATION_ERROR")]
    [InlineData("GET", "/api/v1/nothing-here", null, null, 404, "NOT_FOUND")]
    [InlineData("PATCH", "/api/v1/sync/trigger", null, null, 405, "METHOD_NOT_ALLOWED")]
    public async Task A_malformed_request_is_a_4xx_with_the_error_envelope(string method, string path, string? body, string? contentType, int status, string code)
    {
        using var client = host.ClientFor(Guid.NewGuid().ToString());
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body.Replace("INT", Uuid), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType!);
        }

        await ApiAssert.ErrorAsync(await client.SendAsync(request), (HttpStatusCode)status, code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("256-characters")]
    public async Task A_malformed_Idempotency_Key_is_a_400_naming_the_header(string key)
    {
        using var client = host.ClientFor(Guid.NewGuid().ToString());
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sync/trigger")
        {
            Content = new StringContent($$"""{"integrationId":"{{Uuid}}"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key == "256-characters" ? new string('k', 256) : key);

        var error = await ApiAssert.ErrorAsync(await client.SendAsync(request), HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Contains("Idempotency-Key", ApiAssert.Fields(error));
    }

    [Theory]
    [InlineData("POST", "/api/v1/sync/trigger")]
    [InlineData("POST", "/api/v1/webhooks")]
    [InlineData("PUT", "/api/v1/webhooks/" + Uuid)]
    [InlineData("POST", "/api/v1/sync/conflicts/" + Uuid + "/resolve")]
    public async Task A_body_over_1_MiB_is_a_413(string method, string path)
    {
        using var client = host.ClientFor(Guid.NewGuid().ToString());
        var padding = new string('x', 1024 * 1024);
        var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent($$"""{"integrationId":"{{Uuid}}","entityType":"{{padding}}"}""", Encoding.UTF8, "application/json"),
        };
        // The server may refuse before the body is sent; without 100-continue the client can still be writing when
        // Kestrel closes the connection after its 413, and see a broken pipe instead of the answer.
        request.Headers.ExpectContinue = true;

        await ApiAssert.ErrorAsync(await client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
    }

    [Theory]
    [InlineData("/api/v1/sync/tasks")]
    [InlineData("/api/v1/sync/conflicts")]
    [InlineData("/api/v1/adapters")]
    [InlineData("/api/v1/sync/executions/" + Uuid)]
    [InlineData("/api/v1/integrations/" + Uuid + "/webhooks")]
    public async Task Every_business_route_needs_a_token_and_a_matching_tenant(string path)
    {
        using var anonymous = host.AnonymousClient();
        using var badHeader = host.AnonymousClient();
        var tenant = Guid.NewGuid().ToString();
        badHeader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            IntegrationSync.TestSupport.TestTokens.UserToken(tenant, IntegrationSync.TestSupport.TestInfrastructure.JwtSecret));
        badHeader.DefaultRequestHeaders.Add("X-Tenant-ID", "tenant-a");

        await ApiAssert.ErrorAsync(await anonymous.GetAsync(path), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await ApiAssert.ErrorAsync(await badHeader.GetAsync(path), HttpStatusCode.Forbidden, "FORBIDDEN");
    }
}
