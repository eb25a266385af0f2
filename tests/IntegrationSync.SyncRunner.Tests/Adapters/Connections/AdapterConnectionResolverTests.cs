using System.Text.Json.Nodes;
using IntegrationSync.Shared.Peers;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.SyncRunner.Tests.Adapters.Connections;

public sealed class AdapterConnectionResolverTests : IAsyncLifetime
{
    private readonly string _tenant = Guid.NewGuid().ToString();
    private FakeSecretManagement _fake = null!;
    private ServiceProvider _services = null!;
    private AdapterConnectionResolver _resolver = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeSecretManagement.StartAsync();
        _services = AdapterServices.Build(secretManagementUrl: _fake.BaseUrl);
        _resolver = _services.GetRequiredService<AdapterConnectionResolver>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private static IntegrationDescriptor Integration(string? secretName) =>
        new(Guid.NewGuid().ToString(), "salesforce", "crm", "connected", secretName, [], []);

    [Fact]
    public async Task A_JSON_secret_becomes_the_credentials_of_the_connection()
    {
        _fake.Secrets[(_tenant, "sf-creds")] = """{"accessToken":"t-1","instanceUrl":"https://acme.my.salesforce.com"}""";

        var connection = await _resolver.ResolveAsync(_tenant, Integration("sf-creds"), CancellationToken.None);

        Assert.Equal("t-1", connection.Credentials.Get("accessToken"));
        Assert.Equal("https://acme.my.salesforce.com", connection.Credentials.Get("instanceUrl"));
        Assert.Equal(_tenant, connection.TenantId);
    }

    [Fact]
    public async Task A_plain_secret_is_taken_as_the_access_token()
    {
        _fake.Secrets[(_tenant, "token")] = "pat-na1-abc";

        var connection = await _resolver.ResolveAsync(_tenant, Integration("token"), CancellationToken.None);

        Assert.Equal("pat-na1-abc", connection.Credentials.Get("accessToken"));
    }

    [Fact]
    public async Task An_integration_without_a_secret_name_has_no_credentials_and_calls_nothing()
    {
        var connection = await _resolver.ResolveAsync(_tenant, Integration(null), CancellationToken.None);

        Assert.Same(AdapterCredentials.None, connection.Credentials);
        Assert.Empty(_fake.Faults.Requests);
    }

    [Fact]
    public async Task A_missing_secret_or_another_tenants_secret_is_a_permanent_error_naming_it()
    {
        _fake.Secrets[(Guid.NewGuid().ToString(), "theirs")] = "token";

        var missing = await Assert.ThrowsAsync<AdapterException>(() => _resolver.ResolveAsync(_tenant, Integration("nope"), CancellationToken.None));
        var foreign = await Assert.ThrowsAsync<AdapterException>(() => _resolver.ResolveAsync(_tenant, Integration("theirs"), CancellationToken.None));

        Assert.Equal(AdapterErrorKind.Permanent, missing.Kind);
        Assert.Contains("'nope'", missing.Message);
        Assert.Equal(AdapterErrorKind.Permanent, foreign.Kind);
    }

    [Fact]
    public async Task The_client_returns_the_value_with_a_tenant_scoped_service_token()
    {
        _fake.Secrets[(_tenant, "raw")] = "v";
        var client = _services.GetRequiredService<SecretManagementClient>();

        Assert.Equal("v", await client.GetSecretValueAsync(_tenant, "raw", CancellationToken.None));
        Assert.Null(await client.GetSecretValueAsync(_tenant, "absent", CancellationToken.None));
    }

    [Theory]
    [InlineData("""{"apiKey":"k"}""", "apiKey", "k")]
    [InlineData("  tok  ", "accessToken", "tok")]
    [InlineData("{not json", "accessToken", "{not json")]
    public void Secret_values_parse_as_an_object_or_a_token(string value, string key, string expected) =>
        Assert.Equal(expected, (string)AdapterConnectionResolver.Parse(value)[key]!);
}
