using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Security;
using IntegrationSync.SyncApi.Errors;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationSync.SyncApi.Auth;

/// <summary>
/// HS256 bearer tokens signed with <c>jwt.secret</c> (ARCHITECTURE.md §9), of <c>type: "access"</c> as Castiel's own
/// middleware requires: refresh tokens, tokens without a type and the service tokens the fleet mints for its peers are
/// refused. <c>jwt.issuer</c> / <c>jwt.audience</c>, when set, are checked too. 401s carry <c>UNAUTHORIZED</c>.
/// </summary>
public static class TenantAuthentication
{
    public static IServiceCollection AddTenantAuthentication(this IServiceCollection services)
    {
        services.AddJwtOptions();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>>((bearer, jwt) =>
            {
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = !string.IsNullOrWhiteSpace(jwt.Value.Issuer),
                    ValidIssuer = jwt.Value.Issuer,
                    ValidateAudience = !string.IsNullOrWhiteSpace(jwt.Value.Audience),
                    ValidAudience = jwt.Value.Audience,
                    ValidateLifetime = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    IssuerSigningKey = JwtKeys.SigningKey(jwt.Value.Secret),
                };
                bearer.Events = new JwtBearerEvents
                {
                    OnTokenValidated = context =>
                    {
                        if (AccessTokenProblem(context.Principal) is { } problem)
                        {
                            context.Fail(new TokenKindException(problem));
                        }
                        return Task.CompletedTask;
                    },
                    OnChallenge = async context =>
                    {
                        context.HandleResponse();
                        var message = context.AuthenticateFailure switch
                        {
                            null => "Missing bearer token",
                            TokenKindException kind => kind.Message,
                            _ => "Invalid or expired token",
                        };
                        await ApiError.Result(401, "UNAUTHORIZED", message).ExecuteAsync(context.HttpContext);
                    },
                };
            });
        services.AddAuthorization();
        return services;
    }

    /// <summary>Null for a user's access token; otherwise why the token is not one.</summary>
    private static string? AccessTokenProblem(System.Security.Claims.ClaimsPrincipal? principal)
    {
        if (principal?.FindFirst(ServiceTokenIssuer.ServiceIdClaim) is not null)
        {
            return "Service tokens are not accepted by this API";
        }
        var type = principal?.FindFirst("type")?.Value;
        return type == "access" ? null : $"Invalid token type: expected 'access', got '{type ?? "undefined"}'";
    }

    private sealed class TokenKindException(string message) : Exception(message);
}
