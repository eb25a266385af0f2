using System.Text;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Security;
using IntegrationSync.TestSupport;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace IntegrationSync.Shared.Tests.Security;

public sealed class ServiceTokenIssuerTests
{
    private const string Secret = "a-test-secret-of-at-least-32-characters";
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private readonly ServiceTokenIssuer _issuer;

    public ServiceTokenIssuerTests() =>
        _issuer = new ServiceTokenIssuer(Options.Create(new JwtOptions { Secret = Secret, ServiceTokenLifetimeSeconds = 900 }),
            new ServiceIdentity("integration-sync-runner"), _time);

    [Fact]
    public async Task Token_carries_the_peer_claims_and_validates_with_the_shared_secret()
    {
        var token = _issuer.Issue("tenant-1");

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Secret)),
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("integration-sync", jwt.GetClaim("serviceId").Value);
        Assert.Equal("integration-sync-runner", jwt.GetClaim("serviceName").Value);
        Assert.Equal("tenant-1", jwt.GetClaim("tenantId").Value);
        Assert.Equal("access", jwt.GetClaim("type").Value);
        Assert.Equal(_time.GetUtcNow().UtcDateTime.AddMinutes(15), jwt.ValidTo, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Configured_issuer_and_audience_are_carried_so_peers_that_check_them_accept_the_token()
    {
        var issuer = new ServiceTokenIssuer(Options.Create(new JwtOptions { Secret = "short", Issuer = "coder", Audience = "castiel" }),
            new ServiceIdentity("integration-sync-runner"), _time);

        var token = new JsonWebToken(issuer.Issue("tenant-1"));

        Assert.Equal(("coder", "castiel"), (token.Issuer, token.Audiences.Single()));
        Assert.Equal("integration-sync", token.GetClaim(ServiceTokenIssuer.ServiceIdClaim).Value);
    }

    [Fact]
    public void Token_is_reused_for_half_its_lifetime_then_signed_again()
    {
        var first = _issuer.Issue("tenant-1");
        _time.Advance(TimeSpan.FromMinutes(7));
        Assert.Same(first, _issuer.Issue("tenant-1"));

        _time.Advance(TimeSpan.FromMinutes(1));
        var renewed = _issuer.Issue("tenant-1");

        Assert.NotEqual(first, renewed);
        Assert.Equal(_time.GetUtcNow().UtcDateTime.AddMinutes(15), new JsonWebToken(renewed).ValidTo, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Each_tenant_gets_a_token_of_its_own()
    {
        var one = new JsonWebToken(_issuer.Issue("tenant-1"));
        var two = new JsonWebToken(_issuer.Issue("tenant-2"));

        Assert.Equal("tenant-1", one.GetClaim("tenantId").Value);
        Assert.Equal("tenant-2", two.GetClaim("tenantId").Value);
    }
}
