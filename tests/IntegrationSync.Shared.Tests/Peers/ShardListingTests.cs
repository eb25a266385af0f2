using System.Net;
using System.Text;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.Security;
using Microsoft.Extensions.Options;

namespace IntegrationSync.Shared.Tests.Peers;

/// <summary>shard-manager's listing as its route validates it: <c>shardTypeId</c> only as a UUID, else the type by name; pages by continuation token.</summary>
public sealed class ShardListingTests
{
    [Theory]
    [InlineData("6f1c8f0e-3b9a-4c2d-9e1f-0a1b2c3d4e5f", "c_opportunity", "shardTypeId=6f1c8f0e-3b9a-4c2d-9e1f-0a1b2c3d4e5f")]
    [InlineData("c_opportunity", null, "shardTypeName=c_opportunity")]
    [InlineData("c_opportunity", "Opportunity", "shardTypeName=Opportunity")]
    public async Task The_type_goes_by_id_only_when_it_is_a_uuid(string shardTypeId, string? shardTypeName, string expected)
    {
        var handler = new Recording("""{"items":[{"id":"s1"},{"id":"s2"}],"continuationToken":"page-2"}""");
        var client = Client(handler);

        var (shards, next) = await client.ListShardsAsync("tenant-1", shardTypeId, shardTypeName, continuation: "page 1", 5000, CancellationToken.None);

        Assert.Equal(["s1", "s2"], shards.Select(s => (string)s["id"]!));
        Assert.Equal("page-2", next);
        var query = handler.Requests.Single().Query;
        Assert.Contains(expected, query);
        Assert.Contains("limit=5000", query);
        Assert.Contains("continuationToken=page%201", query);
    }

    [Fact]
    public async Task The_last_page_has_no_continuation()
    {
        var client = Client(new Recording("""{"items":[]}"""));

        var (shards, next) = await client.ListShardsAsync("tenant-1", "c_opportunity", null, null, 100, CancellationToken.None);

        Assert.Empty(shards);
        Assert.Null(next);
    }

    private static ShardManagerClient Client(Recording handler) =>
        new(new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:9/") },
            new ServiceTokenIssuer(Options.Create(new JwtOptions { Secret = "a-test-secret-of-at-least-32-characters" }), new ServiceIdentity("integration-sync-runner"),
                TimeProvider.System));

    private sealed class Recording(string body) : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
