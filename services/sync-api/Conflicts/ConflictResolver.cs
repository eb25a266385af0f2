using IntegrationSync.Shared.Conflicts;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.SyncApi.Auth;
using IntegrationSync.SyncApi.Errors;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncApi.Conflicts;

/// <summary>
/// <c>POST /conflicts/{id}/resolve</c>. A conflict of bidirectional sync is applied, not labelled: the choice is stored
/// (<c>resolving</c>), the runner applies it to both sides (<c>integration.conflict.resolve</c>), and the answer waits for
/// it up to <c>bidirectional.resolve_wait_seconds</c>: 200 applied, 409 <c>CONFLICT_STALE</c> naming the fresh conflict when
/// the record changed again since, else 202 while the runner works (the conflict shows the outcome). The same choice
/// again is harmless; another one once chosen is a 409. The original's conflicts (not ours) only record the label, as it did.
/// </summary>
public sealed class ConflictResolver(ConflictRepository conflicts, IEventPublisher publisher, IOptions<BidirectionalOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public async Task<IResult> ResolveAsync(Tenant tenant, string conflictId, ResolveConflictRequest request, CancellationToken cancellationToken)
    {
        if (await conflicts.ReadAsync(tenant.Id, conflictId, cancellationToken) is not { } conflict)
        {
            return NotFound();
        }
        if (!conflict.Managed)
        {
            return await LabelAsync(tenant, conflict, request, cancellationToken);
        }
        if (request.Check(conflict) is { Count: > 0 } errors)
        {
            return ApiError.Validation(errors);
        }
        var now = IsoTime.Format(time.GetUtcNow());
        var chosen = conflict.Status == ConflictStatus.Open
            ? await conflicts.UpdateAsync(tenant.Id, conflictId, c => c.Status != ConflictStatus.Open ? null : c with
            {
                Status = ConflictStatus.Resolving, Resolution = request.Resolution, ResolutionStrategy = request.Resolution, ResolutionFields = request.Fields,
                ResolvedBy = tenant.UserId, Error = null, UpdatedAt = now,
            }, cancellationToken) ?? await conflicts.ReadAsync(tenant.Id, conflictId, cancellationToken)
            : conflict;
        if (chosen is null)
        {
            return NotFound();
        }
        if (chosen.Status != ConflictStatus.Superseded && !request.Matches(chosen))
        {
            return ApiError.Result(StatusCodes.Status409Conflict, "CONFLICT_ALREADY_RESOLVED",
                $"The conflict was already {(chosen.Status == ConflictStatus.Resolving ? "being resolved" : "resolved")} with '{chosen.Resolution ?? chosen.ResolutionStrategy}'");
        }
        if (chosen.Status == ConflictStatus.Resolving)
        {
            await publisher.PublishAsync(new ConflictResolve(conflictId, request.Resolution, now), tenant.Id, cancellationToken: cancellationToken);
            chosen = await WaitAsync(tenant.Id, conflictId, cancellationToken) ?? chosen;
        }
        return chosen.Status switch
        {
            ConflictStatus.Superseded => ApiError.Result(StatusCodes.Status409Conflict, "CONFLICT_STALE",
                $"The record changed again since this conflict was found; resolve the fresh conflict {chosen.SupersededBy} instead",
                [new FieldError("supersededBy", chosen.SupersededBy ?? "")]),
            ConflictStatus.Resolving => Results.Json(ConflictDto.From(chosen), statusCode: StatusCodes.Status202Accepted),
            _ => Results.Ok(ConflictDto.From(chosen)),
        };
    }

    /// <summary>Waits for the runner to apply the choice; null if it has not within the bound.</summary>
    private async Task<ConflictDocument?> WaitAsync(string tenantId, string conflictId, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow().AddSeconds(options.Value.ResolveWaitSeconds);
        ConflictDocument? current = null;
        while (time.GetUtcNow() < deadline)
        {
            await Task.Delay(Poll, time, cancellationToken);
            current = await conflicts.ReadAsync(tenantId, conflictId, cancellationToken);
            if (current?.Status != ConflictStatus.Resolving)
            {
                return current;
            }
        }
        return current;
    }

    /// <summary>The original's resolution: the label, who and when, and no data changed.</summary>
    private async Task<IResult> LabelAsync(Tenant tenant, ConflictDocument conflict, ResolveConflictRequest request, CancellationToken cancellationToken)
    {
        var now = IsoTime.Format(time.GetUtcNow());
        var changed = await conflicts.UpdateAsync(tenant.Id, conflict.Id, c => c.Resolved ? null : c with
        {
            Resolved = true, Resolution = request.Resolution, ResolutionStrategy = request.Resolution, ResolutionFields = request.Fields,
            ResolvedBy = tenant.UserId, ResolvedAt = now, UpdatedAt = now,
        }, cancellationToken);
        if (changed is not null)
        {
            return Results.Ok(ConflictDto.From(changed));
        }
        var current = await conflicts.ReadAsync(tenant.Id, conflict.Id, cancellationToken);
        return current is null ? NotFound()
            : request.Matches(current) ? Results.Ok(ConflictDto.From(current))
            : ApiError.Result(StatusCodes.Status409Conflict, "CONFLICT_ALREADY_RESOLVED", $"The conflict was already resolved with '{current.Resolution ?? current.ResolutionStrategy}'");
    }

    public static IResult NotFound() => ApiError.NotFound("CONFLICT_NOT_FOUND", "Conflict not found");
}
