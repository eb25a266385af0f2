using Carter;
using IntegrationSync.Shared.Conflicts;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.SyncApi.Auth;
using IntegrationSync.SyncApi.Docs;
using IntegrationSync.SyncApi.Errors;
using IntegrationSync.SyncApi.Paging;

namespace IntegrationSync.SyncApi.Conflicts;

public sealed class ConflictModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = app.MapTenantGroup("/api/v1/sync/conflicts").WithTags("Conflicts");
        group.MapGet("", ListAsync)
            .WithSummary("List conflicts, newest first")
            .WithQuery([("resolved", "true | false"), ("integrationId", "UUID"), .. EndpointDocs.Paging])
            .Produces<Page<ConflictDto>>()
            .ProducesErrors(400, 503);
        group.MapGet("/{conflictId}", GetAsync)
            .WithSummary("Read a conflict")
            .Produces<ConflictDto>()
            .ProducesErrors(404, 503);
        group.MapPost("/{conflictId}/resolve", ResolveAsync)
            .WithSummary("Apply a resolution to both sides: 200 applied, 202 still applying, 409 when the record changed again (CONFLICT_STALE, "
                + "naming the fresh conflict) or another choice was made; the same choice again is harmless")
            .Accepts<ResolveConflictRequest>("application/json")
            .Produces<ConflictDto>()
            .Produces<ConflictDto>(StatusCodes.Status202Accepted)
            .ProducesErrors(400, 404, 409, 413, 503);
    }

    private static async Task<IResult> ListAsync(HttpContext http, ConflictRepository conflicts, CancellationToken cancellationToken)
    {
        var tenantId = Tenant.From(http).Id;
        var query = new ListQuery(http.Request.Query, tenantId, conflicts.OfKind, "conflictId")
            .Flag("resolved", "resolved")
            .Uuid("integrationId", "integrationId");
        var page = PageRequest.Read(http, query.Errors);
        if (page is null || query.Errors.Count > 0)
        {
            return ApiError.Validation(query.Errors);
        }
        var (items, next) = await conflicts.QueryPageAsync(tenantId, query.NewestFirst(), page.Limit, page.CosmosContinuation, cancellationToken);
        return Results.Ok(new Page<ConflictDto>(items.Select(ConflictDto.From).ToList(), PageRequest.Encode(http, next)));
    }

    private static async Task<IResult> GetAsync(string conflictId, HttpContext http, ConflictRepository conflicts, CancellationToken cancellationToken)
    {
        var conflict = await conflicts.ReadAsync(Tenant.From(http).Id, conflictId, cancellationToken);
        return conflict is null ? NotFound() : Results.Ok(ConflictDto.From(conflict));
    }

    private static async Task<IResult> ResolveAsync(string conflictId, HttpContext http, ConflictResolver resolver, CancellationToken cancellationToken)
    {
        var (request, errors) = await ResolveConflictRequest.ReadAsync(http.Request, cancellationToken);
        return request is null ? ApiError.Validation(errors) : await resolver.ResolveAsync(Tenant.From(http), conflictId, request, cancellationToken);
    }

    private static IResult NotFound() => ConflictResolver.NotFound();
}
