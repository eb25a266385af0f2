using Carter;
using IntegrationSync.Shared.Adapters;
using IntegrationSync.SyncApi.Auth;

namespace IntegrationSync.SyncApi.Adapters;

public sealed class AdapterModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapTenantGroup("/api/v1/adapters").WithTags("Adapters")
            .MapGet("", () => Results.Ok(AdapterCatalog.All))
            .WithSummary("The adapters the runner supports: name, capabilities (read, write, incremental, read_one) and settings")
            .Produces<IReadOnlyList<AdapterDescriptor>>();
}
