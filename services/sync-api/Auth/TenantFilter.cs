using IntegrationSync.SyncApi.Errors;

namespace IntegrationSync.SyncApi.Auth;

/// <summary>
/// The token must carry <c>tenantId</c>; <c>X-Tenant-ID</c> must be a UUID (else 403) equal to it (else 401).
/// Handlers then scope everything by <see cref="Tenant"/>.
/// </summary>
public sealed class TenantFilter : IEndpointFilter
{
    public const string Header = "X-Tenant-ID";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var tokenTenant = http.User.FindFirst("tenantId")?.Value;
        if (string.IsNullOrEmpty(tokenTenant))
        {
            return ApiError.Result(401, "UNAUTHORIZED", "Token has no tenantId claim");
        }
        var header = http.Request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(header))
        {
            return ApiError.Result(401, "UNAUTHORIZED", "Tenant ID is required");
        }
        if (!Guid.TryParse(header, out _))
        {
            return ApiError.Result(403, "FORBIDDEN", "Invalid tenant ID format");
        }
        if (!string.Equals(header, tokenTenant, StringComparison.OrdinalIgnoreCase))
        {
            return ApiError.Result(401, "UNAUTHORIZED", "Token tenant does not match X-Tenant-ID header");
        }
        http.Items[typeof(Tenant)] = new Tenant(tokenTenant, http.User.FindFirst("sub")?.Value ?? http.User.FindFirst("userId")?.Value ?? http.User.FindFirst("id")?.Value);
        return await next(context);
    }
}

/// <summary>The caller's tenant (from the token) and user id.</summary>
public sealed record Tenant(string Id, string? UserId)
{
    public static Tenant From(HttpContext http) =>
        http.Items[typeof(Tenant)] as Tenant ?? throw new InvalidOperationException("TenantFilter did not run for this endpoint.");
}

public static class TenantRouteExtensions
{
    /// <summary>The authenticated, tenant-scoped group every business route lives in; its path ids are checked before any handler runs.</summary>
    public static RouteGroupBuilder MapTenantGroup(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(prefix).RequireAuthorization().AddEndpointFilter<TenantFilter>().AddEndpointFilter<RouteIdFilter>();
}
