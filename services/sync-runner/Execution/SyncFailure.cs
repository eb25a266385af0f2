namespace IntegrationSync.SyncRunner.Execution;

/// <summary>A run that cannot succeed as configured; <see cref="Code"/> classifies it for the failed event.</summary>
public sealed class SyncFailure(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
