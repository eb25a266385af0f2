using Carter;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncApi.Auth;
using IntegrationSync.SyncApi.Docs;
using IntegrationSync.SyncApi.Errors;
using IntegrationSync.SyncApi.Paging;
using IntegrationSync.SyncApi.Tasks;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.SyncApi.Executions;

public sealed class ExecutionModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = app.MapTenantGroup("/api/v1/sync").WithTags("Executions");
        group.MapGet("/tasks/{taskId}/executions", ListAsync)
            .WithSummary("The runs of a task, newest first")
            .WithQuery(EndpointDocs.Paging)
            .Produces<Page<ExecutionDto>>()
            .ProducesErrors(400, 404, 503);
        group.MapGet("/executions/{executionId}", GetAsync)
            .WithSummary("Read one run: statistics, timings, error, truncated flag")
            .Produces<ExecutionDto>()
            .ProducesErrors(404, 503);
        group.MapPost("/executions/{executionId}/deletions/approve", (string executionId, HttpContext http, DeletionDecision decision, CancellationToken t) =>
                decision.DecideAsync(Tenant.From(http), executionId, DeletionsDecided.Approve, t))
            .WithSummary("Apply the deletions the mass-delete guard held for this run (deletions.approval: pending): 202, the runner deletes the shards")
            .Produces<ExecutionDto>(StatusCodes.Status202Accepted)
            .ProducesErrors(404, 409, 503);
        group.MapPost("/executions/{executionId}/deletions/reject", (string executionId, HttpContext http, DeletionDecision decision, CancellationToken t) =>
                decision.DecideAsync(Tenant.From(http), executionId, DeletionsDecided.Reject, t))
            .WithSummary("Let the held deletions go: the shards stay (the records are still gone at the vendor)")
            .Produces<ExecutionDto>(StatusCodes.Status202Accepted)
            .ProducesErrors(404, 409, 503);
    }

    private static async Task<IResult> ListAsync(
        string taskId, HttpContext http, SyncTaskRepository tasks, ExecutionRepository executions, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var page = PageRequest.Read(http, errors);
        if (page is null)
        {
            return ApiError.Validation(errors);
        }
        var tenantId = Tenant.From(http).Id;
        if (await tasks.ReadAsync(tenantId, taskId, cancellationToken) is null)
        {
            return SyncTaskModule.TaskNotFound();
        }
        var query = new QueryDefinition(
                $"SELECT * FROM c WHERE {executions.OfKind} AND c.tenantId = @tenantId AND c.taskId = @taskId AND IS_DEFINED(c.executionId) ORDER BY c.createdAt DESC")
            .WithParameter("@tenantId", tenantId)
            .WithParameter("@taskId", taskId);
        var (items, next) = await executions.QueryPageAsync(tenantId, query, page.Limit, page.CosmosContinuation, cancellationToken);
        return Results.Ok(new Page<ExecutionDto>(items.Select(ExecutionDto.From).ToList(), PageRequest.Encode(http, next)));
    }

    private static async Task<IResult> GetAsync(string executionId, HttpContext http, ExecutionRepository executions, CancellationToken cancellationToken)
    {
        var execution = await executions.ReadAsync(Tenant.From(http).Id, executionId, cancellationToken);
        return execution is null
            ? ApiError.NotFound("EXECUTION_NOT_FOUND", "Execution not found")
            : Results.Ok(ExecutionDto.From(execution));
    }
}
