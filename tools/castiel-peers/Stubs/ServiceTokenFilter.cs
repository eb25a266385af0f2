using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Security;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationSync.CastielPeers.Stubs;

/// <summary>Accepts only what the real peers' shared middleware accepts: an HS256 token with <c>type: "access"</c> and a tenant.</summary>
public sealed class ServiceTokenFilter(IOptions<JwtOptions> jwt) : IEndpointFilter
{
    private readonly JsonWebTokenHandler _handler = new();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Results.Json(new { error = new { code = "UNAUTHORIZED", message = "Missing bearer token" } }, statusCode: 401);
        }
        var result = await _handler.ValidateTokenAsync(header["Bearer ".Length..], new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidateAudience = false,
            IssuerSigningKey = JwtKeys.SigningKey(jwt.Value.Secret),
        });
        if (!result.IsValid || !result.Claims.TryGetValue("type", out var type) || type as string != "access"
            || !result.Claims.TryGetValue("tenantId", out var tenant) || tenant is not string { Length: > 0 })
        {
            return Results.Json(new { error = new { code = "UNAUTHORIZED", message = "Invalid service token" } }, statusCode: 401);
        }
        return await next(context);
    }
}
