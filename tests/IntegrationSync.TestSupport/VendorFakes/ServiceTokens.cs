using IntegrationSync.Shared.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationSync.TestSupport.VendorFakes;

/// <summary>What a Castiel peer checks of our calls: an HS256 service token of type access whose tenant is the <c>X-Tenant-ID</c> header.</summary>
public static class ServiceTokens
{
    public static async Task<string?> TenantOfAsync(HttpRequest request, string jwtSecret)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return null;
        }
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(header["Bearer ".Length..], new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidateAudience = false,
            IssuerSigningKey = JwtKeys.SigningKey(jwtSecret),
        });
        var tenant = request.Headers["X-Tenant-ID"].ToString();
        return result.IsValid
            && result.Claims.TryGetValue("type", out var type) && (string)type == "access"
            && result.Claims.TryGetValue("tenantId", out var claimed) && (string)claimed == tenant
                ? tenant
                : null;
    }
}
