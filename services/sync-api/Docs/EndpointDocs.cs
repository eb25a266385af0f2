using IntegrationSync.SyncApi.Errors;

namespace IntegrationSync.SyncApi.Docs;

public static class EndpointDocs
{
    /// <summary>Declares the error envelope for each status, plus the 401/403 every tenant route can answer.</summary>
    public static RouteHandlerBuilder ProducesErrors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses.Concat([401, 403]).Distinct().Order())
        {
            builder.Produces<ApiError>(status, "application/json");
        }
        return builder;
    }
}
