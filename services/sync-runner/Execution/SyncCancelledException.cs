namespace IntegrationSync.SyncRunner.Execution;

/// <summary>The task's cancel was requested; the run stops between pages.</summary>
public sealed class SyncCancelledException() : Exception("The sync was cancelled");
