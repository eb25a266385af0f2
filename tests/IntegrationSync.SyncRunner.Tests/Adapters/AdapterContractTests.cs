using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Tests.Fakes;
using IntegrationSync.TestSupport.VendorFakes;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.SyncRunner.Tests.Adapters;

/// <summary>
/// What every adapter does with its vendor's HTTP the same way (<c>AdapterHttp</c>), run against each adapter's fake:
/// 429 storms and 5xx blips waited out, long <c>Retry-After</c>s and lasting 5xx handed to the runner, a rejected
/// credential not retried, no redirects, no cookies, bounded bodies, and error messages without bodies or queries.
/// Each adapter's test class inherits these with its fake.
/// </summary>
public abstract class AdapterContractTests<TFake, TAdapter> : AdapterFakeTests<TFake, TAdapter> where TFake : IVendorFake where TAdapter : ISyncAdapter
{
    /// <summary>The entity type the fake serves.</summary>
    protected abstract string EntityType { get; }

    /// <summary>A connection to the fake with its valid credential.</summary>
    protected abstract AdapterConnection Connection();

    /// <summary>Adds <paramref name="count"/> records (several pages' worth) and returns their ids in read order.</summary>
    protected abstract List<string> Seed(int count);

    protected virtual string? IntegrationManagerUrl => null;

    protected override ServiceProvider Build() => Build(allowLoopback: true);

    protected ServiceProvider Build(bool allowLoopback = true, int maxResponseBytes = 4 * 1024 * 1024) =>
        AdapterServices.Build(integrationManagerUrl: IntegrationManagerUrl, allowLoopback: allowLoopback, maxResponseBytes: maxResponseBytes);

    protected Task<List<RecordPage>> ReadAllAsync(ISyncAdapter? adapter = null) => (adapter ?? Adapter).ReadAllAsync(Connection(), EntityType);

    [Fact]
    public async Task A_429_storm_is_waited_out_per_Retry_After_and_the_read_completes()
    {
        var expected = Seed(6);
        Fake.Faults.TooManyRequests(2, retryAfterSeconds: 1);

        var pages = await ReadAllAsync();

        Assert.Equal(expected, pages.Ids());
        Assert.Equal(2, Fake.Faults.Rejected429);
        Assert.Equal(0, Fake.Faults.EarlyRetries);
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_bound_is_handed_to_the_runner_as_rate_limited()
    {
        Seed(3);
        Fake.Faults.TooManyRequests(1, retryAfterSeconds: 120);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync());

        Assert.Equal(AdapterErrorKind.RateLimited, error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Equal(1, Fake.Faults.Rejected429);
    }

    [Fact]
    public async Task A_5xx_blip_is_retried_and_the_read_completes()
    {
        var expected = Seed(6);
        Fake.Faults.ServerErrors(2);

        var pages = await ReadAllAsync();

        Assert.Equal(expected, pages.Ids());
        Assert.Equal(2, Fake.Faults.Rejected5xx);
    }

    [Fact]
    public async Task A_5xx_that_outlasts_the_retries_is_transient()
    {
        Seed(2);
        Fake.Faults.ServerErrors(50);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync());

        Assert.Equal(AdapterErrorKind.Transient, error.Kind);
        Assert.Equal(4, Fake.Faults.Rejected5xx);
    }

    [Fact]
    public async Task A_rejected_credential_is_AuthExpired_without_retries()
    {
        Seed(6);
        Fake.Faults.TokenExpiresAfterCalls = 1;

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync());

        Assert.Equal(AdapterErrorKind.AuthExpired, error.Kind);
        Assert.Equal(1, Fake.Faults.Rejected401);
        Assert.Equal(2, Fake.Faults.Requests.Count);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_so_the_credential_never_reaches_its_target()
    {
        await using var elsewhere = await FakeRestApi.StartAsync();
        Seed(2);
        Fake.Faults.RedirectTo = $"{elsewhere.BaseUrl}/cursor/items";
        Fake.Faults.Script(302);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync());

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.Contains("redirects are not followed", error.Message);
        Assert.Empty(elsewhere.Faults.Requests);
    }

    [Fact]
    public async Task Cookies_a_vendor_sets_are_never_sent_back()
    {
        var expected = Seed(7);
        Fake.Faults.SetsCookies = true;

        var first = await ReadAllAsync();
        var second = await ReadAllAsync();

        Assert.Equal(expected, first.Ids());
        Assert.Equal(expected, second.Ids());
        Assert.True(Fake.Faults.Requests.Count >= 4);
        Assert.Equal(0, Fake.Faults.CookiesReceived);
    }

    /// <summary>Requests an adapter makes for a page whose every answer is over the limit: one, unless it asks again for fewer records.</summary>
    protected virtual int RequestsForAPageThatNeverFits => 1;

    [Fact]
    public async Task A_response_over_max_response_bytes_fails_permanently_naming_the_limit()
    {
        await using var services = Build(maxResponseBytes: 64 * 1024);
        Seed(2);
        Fake.Faults.OversizedBodies(100, bytes: 1024 * 1024);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(services.Adapter<TAdapter>()));

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.Contains("adapter_http.max_response_bytes", error.Message);
        Assert.Equal(RequestsForAPageThatNeverFits, Fake.Faults.Requests.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(503)]
    public async Task An_error_message_has_the_status_and_the_vendors_code_but_no_body_and_no_query(int status)
    {
        Seed(2);
        var canary = $"internal-{Guid.NewGuid():N}";
        Fake.Faults.ErrorBody = _ => $$"""{"error":{"code":"E_{{status}}","message":"see https://vendor.example/help?token={{canary}}"},"debug":"{{canary}}"}""";
        Fake.Faults.Script([.. Enumerable.Repeat(status, 5)]);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync());

        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        Assert.Contains($"E_{status}", error.Message);
        Assert.Contains("https://vendor.example/help", error.Message);
        Assert.DoesNotContain(canary, error.Message);
        Assert.DoesNotContain("?", error.Message);
    }
}

/// <summary>The contract plus what holds for adapters that call a tenant's chosen host: the outbound guard.</summary>
public abstract class TenantTargetContractTests<TFake, TAdapter> : AdapterContractTests<TFake, TAdapter>
    where TFake : IVendorFake where TAdapter : ISyncAdapter
{
    [Fact]
    public async Task Without_an_allow_list_a_vendor_on_loopback_is_refused_before_any_request()
    {
        await using var guarded = Build(allowLoopback: false);
        Seed(2);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(guarded.Adapter<TAdapter>()));

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.Empty(Fake.Faults.Requests);
    }
}
