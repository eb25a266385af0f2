using System.Collections.Concurrent;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Messaging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationSync.Shared.Security;

/// <summary>
/// HS256 service tokens for calls to Castiel peers: the original's claims (serviceId, serviceName,
/// tenantId, 15-minute expiry) plus <c>type: "access"</c>, which the peers' shared middleware requires.
/// <see cref="ServiceIdClaim"/> marks them as service tokens, which the API never takes as a user's.
/// A tenant's token is reused for the first half of its lifetime instead of being signed again for every call.
/// </summary>
public sealed class ServiceTokenIssuer(IOptions<JwtOptions> options, ServiceIdentity identity, TimeProvider time)
{
    /// <summary>The claim of Castiel's service-token payload (<c>ServiceTokenPayload.serviceId</c>).</summary>
    public const string ServiceIdClaim = "serviceId";
    private const int MaxCachedTenants = 10_000;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly SigningCredentials _credentials = new(
        JwtKeys.SigningKey(options.Value.Secret), SecurityAlgorithms.HmacSha256);
    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);

    /// <summary>Signs a peer call for the tenant: bearer service token and <c>X-Tenant-ID</c>.</summary>
    public HttpRequestMessage Authorize(HttpRequestMessage request, string tenantId)
    {
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Issue(tenantId));
        request.Headers.Add("X-Tenant-ID", tenantId);
        return request;
    }

    public string Issue(string tenantId)
    {
        var now = time.GetUtcNow();
        if (_tokens.TryGetValue(tenantId, out var cached) && now < cached.RenewAt)
        {
            return cached.Token;
        }
        if (_tokens.Count >= MaxCachedTenants)
        {
            _tokens.Clear();
        }
        var lifetime = TimeSpan.FromSeconds(options.Value.ServiceTokenLifetimeSeconds);
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                [ServiceIdClaim] = "integration-sync",
                ["serviceName"] = identity.Service,
                ["tenantId"] = tenantId,
                ["type"] = "access",
            },
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            Issuer = string.IsNullOrWhiteSpace(options.Value.Issuer) ? null : options.Value.Issuer,
            Audience = string.IsNullOrWhiteSpace(options.Value.Audience) ? null : options.Value.Audience,
            SigningCredentials = _credentials,
        });
        _tokens[tenantId] = new IssuedToken(token, now + lifetime / 2);
        return token;
    }

    private sealed record IssuedToken(string Token, DateTimeOffset RenewAt);
}
