using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.Rest;
using IntegrationSync.SyncRunner.Tests.Fakes;
using IntegrationSync.TestSupport.VendorFakes;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.SyncRunner.Tests.Adapters.Http;

/// <summary>The retry pipeline every adapter shares, driven through the generic REST adapter.</summary>
public sealed class AdapterHttpPipelineTests : IAsyncLifetime
{
    private FakeRestApi _fake = null!;
    private ServiceProvider _services = null!;
    private RestAdapter _adapter = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeRestApi.StartAsync();
        _services = AdapterServices.Build(maxRetries: 2, attemptTimeoutSeconds: 1);
        _adapter = _services.Adapter<RestAdapter>();
        _fake.Add(new JsonObject { ["name"] = "Only" });
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private AdapterConnection Connection() => AdapterServices.Connection("rest", new JsonObject
    {
        ["url"] = $"{_fake.BaseUrl}/cursor/items",
        ["authHeader"] = "X-Api-Key",
        ["authScheme"] = "",
        ["recordsPath"] = "data.items",
        ["paging"] = "cursor",
        ["cursorParam"] = "after",
        ["cursorPath"] = "meta.next",
    }, new JsonObject { ["apiKey"] = _fake.Faults.ValidToken });

    private Task<WriteResult> CreateAsync() => _adapter.WriteAsync(
        new AdapterWriteRequest(Connection(), "item", null, new JsonObject { ["name"] = "New" }, null), CancellationToken.None);

    [Fact]
    public async Task A_429_storm_longer_than_the_attempts_is_rate_limited_with_the_announced_Retry_After()
    {
        _fake.Faults.TooManyRequests(10, retryAfterSeconds: 1);

        var error = await Assert.ThrowsAsync<AdapterException>(() => _adapter.ReadAllAsync(Connection(), "item"));

        Assert.Equal(AdapterErrorKind.RateLimited, error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
        Assert.Equal(3, _fake.Faults.Rejected429);
        Assert.Equal(0, _fake.Faults.EarlyRetries);
    }

    [Fact]
    public async Task An_attempt_that_hangs_is_timed_out_and_retried()
    {
        _fake.Faults.Hangs(1);

        var pages = await _adapter.ReadAllAsync(Connection(), "item");

        Assert.Single(pages.Ids());
    }

    [Fact]
    public async Task Attempts_that_keep_hanging_end_as_transient()
    {
        _fake.Faults.Hangs(3);

        var error = await Assert.ThrowsAsync<AdapterException>(() => _adapter.ReadAllAsync(Connection(), "item"));

        Assert.Equal(AdapterErrorKind.Transient, error.Kind);
    }

    [Fact]
    public async Task A_create_is_not_repeated_after_a_5xx_because_it_may_have_been_applied()
    {
        _fake.Faults.ServerErrors(1);

        var error = await Assert.ThrowsAsync<AdapterException>(CreateAsync);

        Assert.Equal(AdapterErrorKind.Transient, error.Kind);
        Assert.Single(_fake.Faults.Requests);
    }

    [Fact]
    public async Task A_create_refused_with_429_is_retried_after_Retry_After()
    {
        _fake.Faults.TooManyRequests(1, retryAfterSeconds: 1);

        var created = await CreateAsync();

        Assert.True(created.Created);
        Assert.Equal(2, _fake.Items.Count);
        Assert.Equal(0, _fake.Faults.EarlyRetries);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_turned_into_an_adapter_error()
    {
        _fake.Faults.Hangs(1);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in _adapter.ReadAsync(new AdapterReadRequest(Connection(), "item", null, null), cancel.Token))
            {
            }
        });
    }
}
