using System.Security.Cryptography;
using System.Text;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;

namespace IntegrationSync.Shared.Sync;

/// <summary>The runner's work message for a stored task, built in one place for every sender (API, intake, slots, reaper).</summary>
public static class WorkMessages
{
    public static SyncRequested For(SyncTaskDocument task, DateTimeOffset now, string? resumeExecutionId = null) =>
        new(task.TaskId ?? task.Id, task.IntegrationId ?? "", task.Direction ?? SyncDirection.Inbound, task.EntityType, task.Filters,
            IsoTime.Format(now), resumeExecutionId);

    /// <summary>
    /// A task has one execution, whose id derives from the task's: every delivery of its work message, and every replica,
    /// agrees on it, so a crash between two start-up writes can never leave a second execution of the same task.
    /// </summary>
    public static string ExecutionIdFor(string taskId) => DeterministicGuid($"execution:{taskId}");

    /// <summary>A version-5-shaped GUID from a seed: the same seed always gives the same id.</summary>
    public static string DeterministicGuid(string seed)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed)).AsSpan(0, 16).ToArray();
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash, bigEndian: true).ToString();
    }
}
