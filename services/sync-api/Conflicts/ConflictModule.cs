using System.Text.Json.Nodes;
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
            .WithSummary("Record how a conflict is resolved (idempotent for the same choice; 409 for another once resolved)")
            .Accepts<ResolveConflictRequest>("application/json")
            .Produces<ConflictDto>()
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

    private static async Task<IResult> ResolveAsync(
        string conflictId, HttpContext http, ConflictRepository conflicts, TimeProvider time, CancellationToken cancellationToken)
    {
        var (request, errors) = await ResolveConflictRequest.ReadAsync(http.Request, cancellationToken);
        if (request is null)
        {
            return ApiError.Validation(errors);
        }
        var tenant = Tenant.From(http);
        var now = IsoTime.Format(time.GetUtcNow());
        var changed = await conflicts.UpdateAsync(tenant.Id, conflictId, c => c.Resolved ? null : c with
        {
            Resolved = true,
            Resolution = request.Resolution,
            ResolutionStrategy = request.Resolution,
            ResolutionFields = request.Fields,
            ResolvedBy = tenant.UserId,
            ResolvedAt = now,
            UpdatedAt = now,
        }, cancellationToken);
        if (changed is not null)
        {
            return Results.Ok(ConflictDto.From(changed));
        }

        var current = await conflicts.ReadAsync(tenant.Id, conflictId, cancellationToken);
        if (current is null)
        {
            return NotFound();
        }
        var same = (current.Resolution ?? current.ResolutionStrategy) == request.Resolution
            && JsonNode.DeepEquals(current.ResolutionFields, request.Fields);
        return same
            ? Results.Ok(ConflictDto.From(current))
            : ApiError.Result(StatusCodes.Status409Conflict, "CONFLICT_ALREADY_RESOLVED",
                $"The conflict was already resolved with '{current.Resolution ?? current.ResolutionStrategy}'");
    }

    private static IResult NotFound() => ApiError.NotFound("CONFLICT_NOT_FOUND", "Conflict not found");
}
