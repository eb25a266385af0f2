using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Security;
using IntegrationSync.TestSupport;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationSync.SyncApi.Tests.Security;

/// <summary>Only a user's access token opens the API, as Castiel's own auth middleware requires (type "access").</summary>
public sealed class TokenKindTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly string _tenant = Guid.NewGuid().ToString();

    [Theory]
    [InlineData("refresh")]
    [InlineData("service")]
    [InlineData("")]
    [InlineData(null)]
    public async Task A_token_whose_type_is_not_access_is_refused(string? type)
    {
        var claims = new JsonObject { ["sub"] = "u1", ["tenantId"] = _tenant };
        if (type is not null)
        {
            claims["type"] = type;
        }

        var response = await GetTasksAsync(Sign(claims, TestInfrastructure.JwtSecret));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Contains("expected 'access'", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_service_token_the_fleet_mints_for_its_peers_is_refused_although_its_type_is_access()
    {
        var issuer = new ServiceTokenIssuer(Options.Create(new JwtOptions { Secret = TestInfrastructure.JwtSecret }),
            new ServiceIdentity("integration-sync-runner"), TimeProvider.System);

        var response = await GetTasksAsync(issuer.Issue(_tenant));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Contains("Service tokens", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_users_access_token_is_accepted()
    {
        var response = await GetTasksAsync(Sign(new JsonObject { ["sub"] = "u1", ["tenantId"] = _tenant, ["type"] = "access" }, TestInfrastructure.JwtSecret));

        await ApiAssert.OkAsync(response);
    }

    private async Task<HttpResponseMessage> GetTasksAsync(string token)
    {
        using var client = host.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.Add("X-Tenant-ID", _tenant);
        return await client.GetAsync("/api/v1/sync/tasks");
    }

    /// <summary>An HS256 token as @fastify/jwt signs it: the secret's raw bytes as the HMAC key, whatever their length.</summary>
    internal static string Sign(JsonObject claims, string secret)
    {
        claims["exp"] ??= DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var header = Base64UrlEncoder.Encode("""{"alg":"HS256","typ":"JWT"}""");
        var payload = Base64UrlEncoder.Encode(claims.ToJsonString());
        var signature = Base64UrlEncoder.Encode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }
}

/// <summary>A platform secret shorter than 32 characters, as Castiel accepts, with issuer and audience checks on.</summary>
public sealed class ShortSecretHost : ApiHost
{
    public const string Secret = "castiel-dev";

    protected override IEnumerable<string> ExtraArgs => [$"--jwt:secret={Secret}", "--jwt:issuer=coder", "--jwt:audience=castiel"];
}

public sealed class ShortSecretTests(ShortSecretHost host) : IClassFixture<ShortSecretHost>
{
    private readonly string _tenant = Guid.NewGuid().ToString();

    [Theory]
    [InlineData("coder", "castiel", HttpStatusCode.OK)]
    [InlineData("someone-else", "castiel", HttpStatusCode.Unauthorized)]
    [InlineData("coder", "another-audience", HttpStatusCode.Unauthorized)]
    [InlineData(null, "castiel", HttpStatusCode.Unauthorized)]
    public async Task A_short_secret_validates_Castiel_tokens_and_the_configured_issuer_and_audience_are_checked(
        string? issuer, string audience, HttpStatusCode expected)
    {
        var claims = new JsonObject { ["sub"] = "u1", ["tenantId"] = _tenant, ["type"] = "access", ["aud"] = audience };
        if (issuer is not null)
        {
            claims["iss"] = issuer;
        }
        using var client = host.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenKindTests.Sign(claims, ShortSecretHost.Secret));
        client.DefaultRequestHeaders.Add("X-Tenant-ID", _tenant);

        var response = await client.GetAsync("/api/v1/sync/tasks");

        Assert.Equal(expected, response.StatusCode);
    }
}
