using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncApi.Auth;
using IntegrationSync.SyncApi.Errors;

namespace IntegrationSync.SyncApi.Executions;

/// <summary>
/// <c>POST /executions/{id}/deletions/approve|reject</c>: a person's decision on the deletions the mass-delete guard held.
/// The decision is stored on the execution first, then the runner carries it out (<c>integration.sync.deletions_decided</c>);
/// 202 with the execution. The same decision again is harmless (sent again, nothing left to do twice); the other one
/// once decided is a 409, as is a decision on an execution that holds no deletions.
/// </summary>
public sealed class DeletionDecision(ExecutionRepository executions, IEventPublisher publisher, TimeProvider time)
{
    public async Task<IResult> DecideAsync(Tenant tenant, string executionId, string decision, CancellationToken cancellationToken)
    {
        var approval = decision == DeletionsDecided.Approve ? ExecutionDeletions.Approved : ExecutionDeletions.Rejected;
        var now = IsoTime.Format(time.GetUtcNow());
        var read = await executions.ReadAsync(tenant.Id, executionId, cancellationToken);
        if (read is null)
        {
            return ApiError.NotFound("EXECUTION_NOT_FOUND", "Execution not found");
        }
        var decided = read.Deletions?.Approval == ExecutionDeletions.Pending
            ? await executions.UpdateAsync(tenant.Id, executionId, e => e.Deletions?.Approval != ExecutionDeletions.Pending ? null : e with
            {
                Deletions = e.Deletions with { Approval = approval, DecidedAt = now }, UpdatedAt = now,
            }, cancellationToken) ?? await executions.ReadAsync(tenant.Id, executionId, cancellationToken)
            : read;
        if (decided?.Deletions is not { Held: > 0 } deletions || deletions.Approval is null or ExecutionDeletions.Pending)
        {
            return ApiError.Result(StatusCodes.Status409Conflict, "DELETIONS_NOT_HELD", "The execution holds no deletions waiting for approval");
        }
        if (deletions.Approval != approval)
        {
            return ApiError.Result(StatusCodes.Status409Conflict, "DELETIONS_ALREADY_DECIDED", $"The held deletions were already {deletions.Approval}");
        }
        await publisher.PublishAsync(new DeletionsDecided(executionId, decision, deletions.DecidedAt ?? now), tenant.Id, cancellationToken: cancellationToken);
        return Results.Json(ExecutionDto.From(decided), statusCode: StatusCodes.Status202Accepted);
    }
}
