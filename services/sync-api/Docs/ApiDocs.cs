using IntegrationSync.SyncApi.Auth;
using IntegrationSync.SyncApi.Inbound;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace IntegrationSync.SyncApi.Docs;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> (and <c>.yaml</c>) and a Swagger UI at <c>/docs</c> whose assets
/// are embedded in the package, so it works offline. <c>services/sync-api/openapi.yaml</c> is the YAML document,
/// kept identical by <c>OpenApiDocumentTests</c>.
/// </summary>
public static class ApiDocs
{
    public const string DocumentName = "v1";

    public static IServiceCollection AddApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options => options.AddDocumentTransformer((document, _, _) =>
        {
            Describe(document);
            RequireTokenAndTenant(document);
            OmitNullablesFromRequired(document);
            return Task.CompletedTask;
        }));

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapOpenApi("/openapi/{documentName}.yaml");
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = "docs";
            ui.DocumentTitle = "IntegrationSync API";
            ui.SwaggerEndpoint($"/openapi/{DocumentName}.json", "IntegrationSync API v1");
        });
        return app;
    }

    private static void Describe(OpenApiDocument document)
    {
        document.Info = new OpenApiInfo
        {
            Title = "IntegrationSync API",
            Version = "1.0.0",
            Description = "Sync tasks, executions, conflicts, webhook registrations and adapters. Every /api route needs a bearer "
                + $"token with a tenantId claim and the same tenant in {TenantFilter.Header}, except the providers' notifications under "
                + $"{InboundModule.ReceivePath} (verified by their signature). Errors: {{\"error\":{{\"code\",\"message\",\"details?\"}}}}.",
        };
        // The document must not depend on the address it was fetched from (openapi.yaml is compared with it).
        document.Servers = [];
    }

    /// <summary>Only the business routes need the token and the tenant header: /health, /ready, the document and providers' notifications do not.</summary>
    private static void RequireTokenAndTenant(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            ["bearer"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT" },
        };
        foreach (var (_, item) in document.Paths.Where(p => p.Key.StartsWith("/api/", StringComparison.Ordinal)
                     && !p.Key.StartsWith(InboundModule.ReceivePath + "/", StringComparison.Ordinal)))
        {
            foreach (var operation in item.Operations?.Values.AsEnumerable() ?? [])
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
                operation.Parameters ??= [];
                operation.Parameters.Insert(0, new OpenApiParameter
                {
                    Name = TenantFilter.Header, In = ParameterLocation.Header, Required = true,
                    Description = "the tenant of the token (UUID)", Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
                });
            }
        }
    }

    /// <summary>Null members are omitted from answers (ContractJson), so a nullable property is never a required one.</summary>
    private static void OmitNullablesFromRequired(OpenApiDocument document)
    {
        foreach (var schema in document.Components?.Schemas?.Values ?? [])
        {
            foreach (var (name, property) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
            {
                if (IsNullable(property))
                {
                    schema.Required?.Remove(name);
                }
            }
        }
    }

    private static bool IsNullable(IOpenApiSchema schema) =>
        (schema.Type is { } type && type.HasFlag(JsonSchemaType.Null))
        || (schema.OneOf?.Any(s => s.Type == JsonSchemaType.Null) ?? false);
}
