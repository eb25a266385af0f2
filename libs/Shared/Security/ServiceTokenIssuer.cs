using System.Text;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Messaging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationSync.Shared.Security;

/// <summary>
/// HS256 service tokens for calls to Castiel peers: the original's claims (serviceId, serviceName,
/// tenantId, 15-minute expiry) plus <c>type: "access"</c>, which the peers' shared middleware requires.
/// </summary>
public sealed class ServiceTokenIssuer(IOptions<JwtOptions> options, ServiceIdentity identity, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>Signs a peer call for the tenant: bearer service token and <c>X-Tenant-ID</c>.</summary>
    public HttpRequestMessage Authorize(HttpRequestMessage request, string tenantId)
    {
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Issue(tenantId));
        request.Headers.Add("X-Tenant-ID", tenantId);
        return request;
    }

    public string Issue(string tenantId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                ["serviceId"] = "integration-sync",
                ["serviceName"] = identity.Service,
                ["tenantId"] = tenantId,
                ["type"] = "access",
            },
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddSeconds(options.Value.ServiceTokenLifetimeSeconds),
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.Value.Secret)), SecurityAlgorithms.HmacSha256),
        });
    }
}
