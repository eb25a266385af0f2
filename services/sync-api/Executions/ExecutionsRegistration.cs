namespace IntegrationSync.SyncApi.Executions;

public static class ExecutionsRegistration
{
    /// <summary>Decisions on the deletions the mass-delete guard held.</summary>
    public static IServiceCollection AddDeletionDecisions(this IServiceCollection services) => services.AddSingleton<DeletionDecision>();
}
