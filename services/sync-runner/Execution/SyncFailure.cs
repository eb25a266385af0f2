namespace IntegrationSync.SyncRunner.Execution;

/// <summary>A run that cannot succeed as configured, or gave up retrying; <see cref="Code"/> classifies it for the failed event.</summary>
public sealed class SyncFailure(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}
