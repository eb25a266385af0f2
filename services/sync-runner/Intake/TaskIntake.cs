using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.SyncRunner.Intake;

/// <summary>
/// Turns scheduled and webhook triggers into tasks and work messages. The task id derives from the triggering event,
/// so a redelivered trigger finds its task instead of creating a second one.
/// </summary>
public sealed class TaskIntake(SyncTaskRepository tasks, IEventPublisher publisher, TimeProvider time)
{
    public async Task CreateAsync(
        string tenantId, string triggerEventId, string integrationId, string? entityType, JsonObject? filters, string requestedBy,
        CancellationToken cancellationToken)
    {
        var taskId = DeterministicId($"{tenantId}:{triggerEventId}:{entityType}");
        var now = IsoTime.Format(time.GetUtcNow());
        var task = new SyncTaskDocument
        {
            Id = taskId, TaskId = taskId, TenantId = tenantId, IntegrationId = integrationId, Direction = SyncDirection.Inbound,
            Status = SyncStatus.Pending, EntityType = entityType, Filters = filters, RequestedBy = requestedBy, CreatedAt = now, UpdatedAt = now,
        };
        try
        {
            await tasks.CreateAsync(task, cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // Created by an earlier delivery that may have stopped before publishing: publish again while it is pending.
            task = await tasks.ReadAsync(tenantId, taskId, cancellationToken);
            if (task is not { Status: SyncStatus.Pending })
            {
                return;
            }
        }
        await publisher.PublishAsync(
            new SyncRequested(taskId, integrationId, SyncDirection.Inbound, entityType, filters, now), tenantId, cancellationToken: cancellationToken);
    }

    private static string DeterministicId(string seed)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed)).AsSpan(0, 16).ToArray();
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash, bigEndian: true).ToString();
    }
}
