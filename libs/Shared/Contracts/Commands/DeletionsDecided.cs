namespace IntegrationSync.Shared.Contracts.Commands;

/// <summary>
/// A person decided on the deletions the mass-delete guard held for an execution (the API stored the decision on it):
/// the runner applies them (<c>approve</c>) or lets them go (<c>reject</c>).
/// </summary>
[EventName(EventNames.DeletionsDecided, Mandatory = true)]
public sealed record DeletionsDecided(string ExecutionId, string Decision, string DecidedAt)
{
    public const string Approve = "approve";
    public const string Reject = "reject";
}
