using IntegrationSync.SyncApi.Errors;
using Microsoft.OpenApi;

namespace IntegrationSync.SyncApi.Docs;

public static class EndpointDocs
{
    /// <summary>
    /// Declares the error envelope for each status, plus the 401/403 every tenant route can answer and the 400 of a
    /// malformed path id (<see cref="RouteIdFilter"/>) on routes that have one.
    /// </summary>
    public static RouteHandlerBuilder ProducesErrors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        builder.Add(endpoint =>
        {
            var ids = endpoint is RouteEndpointBuilder { RoutePattern.Parameters.Count: > 0 };
            foreach (var status in statuses.Concat(ids ? [400, 401, 403] : [401, 403]).Distinct().Order())
            {
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ApiError), ["application/json"]));
            }
        });
        return builder;
    }

    /// <summary>Documents query-string parameters the handler reads and validates itself (so each bad one is named in the 400).</summary>
    public static RouteHandlerBuilder WithQuery(this RouteHandlerBuilder builder, params (string Name, string Description)[] parameters) =>
        builder.WithParameters(ParameterLocation.Query, required: false, parameters);

    public static RouteHandlerBuilder WithHeader(this RouteHandlerBuilder builder, string name, string description) =>
        builder.WithParameters(ParameterLocation.Header, required: false, (name, description));

    private static RouteHandlerBuilder WithParameters(
        this RouteHandlerBuilder builder, ParameterLocation location, bool required, params (string Name, string Description)[] parameters) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var (name, description) in parameters)
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name, In = location, Required = required, Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            }
            return Task.CompletedTask;
        });

    public static readonly (string, string)[] Paging =
    [
        ("limit", "page size, 1 to 100 (default 20)"),
        ("continuationToken", "opaque token of the previous page's answer"),
    ];
}
