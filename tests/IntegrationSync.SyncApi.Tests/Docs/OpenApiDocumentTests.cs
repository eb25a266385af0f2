using System.Net;
using System.Text.Json.Nodes;

namespace IntegrationSync.SyncApi.Tests.Docs;

public sealed class OpenApiDocumentTests(ApiHost host) : IClassFixture<ApiHost>
{
    private const string UpdateVariable = "UPDATE_OPENAPI";

    /// <summary>The service's copy, and the one at the repository root that the seed README links.</summary>
    [Theory]
    [InlineData("services/sync-api/openapi.yaml")]
    [InlineData("openapi.yaml")]
    public async Task The_committed_openapi_yaml_is_the_served_document(string file)
    {
        using var client = host.AnonymousClient();
        var served = Normalize(await client.GetStringAsync("/openapi/v1.yaml"));
        var path = Path.Combine([RepoRoot(), .. file.Split('/')]);

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(path, served);
        }

        var committed = File.Exists(path) ? Normalize(await File.ReadAllTextAsync(path)) : "";
        Assert.True(committed == served,
            $"{file} differs from the document the API serves at /openapi/v1.yaml. Regenerate both copies with: "
            + $"{UpdateVariable}=1 dotnet test tests/IntegrationSync.SyncApi.Tests --filter {nameof(OpenApiDocumentTests)} (then review and commit the diff).");
    }

    [Fact]
    public async Task The_document_describes_every_route_with_its_error_answers()
    {
        using var client = host.AnonymousClient();

        var text = await client.GetStringAsync("/openapi/v1.json");
        var document = JsonNode.Parse(text)!;

        var paths = document["paths"]!.AsObject();
        string[] expected =
        [
            "/api/v1/sync/trigger", "/api/v1/sync/tasks", "/api/v1/sync/tasks/{taskId}", "/api/v1/sync/tasks/{taskId}/cancel",
            "/api/v1/sync/tasks/{taskId}/executions", "/api/v1/sync/executions/{executionId}", "/api/v1/sync/conflicts",
            "/api/v1/sync/conflicts/{conflictId}", "/api/v1/sync/conflicts/{conflictId}/resolve", "/api/v1/webhooks",
            "/api/v1/webhooks/{webhookId}", "/api/v1/integrations/{integrationId}/webhooks", "/api/v1/adapters",
        ];
        Assert.All(expected, p => Assert.True(paths.ContainsKey(p), $"{p} is not in the document"));
        var trigger = paths["/api/v1/sync/trigger"]!["post"]!;
        Assert.All(new[] { "202", "400", "401", "403", "429", "503" }, s => Assert.NotNull(trigger["responses"]![s]));
        Assert.NotNull(trigger["requestBody"]);
        Assert.Null(document["servers"]);
        Assert.Single(trigger["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "X-Tenant-ID");
        Assert.Equal(text, await client.GetStringAsync("/openapi/v1.json"));
    }

    [Fact]
    public async Task The_docs_ui_is_served_with_its_own_assets()
    {
        using var client = host.AnonymousClient();

        var page = await client.GetAsync("/docs/index.html");
        var html = await page.Content.ReadAsStringAsync();
        var bundle = await client.GetAsync("/docs/swagger-ui-bundle.js");
        var config = await client.GetStringAsync("/docs/index.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("swagger-ui-bundle.js", html);
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        Assert.True((await bundle.Content.ReadAsByteArrayAsync()).Length > 100_000);
        Assert.Contains("/openapi/v1.json", config);
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd() + "\n";

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IntegrationSync.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No IntegrationSync.sln above {AppContext.BaseDirectory}");
    }
}
