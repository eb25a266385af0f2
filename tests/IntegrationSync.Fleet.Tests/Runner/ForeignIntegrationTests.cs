using System.Text;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Sync;
using IntegrationSync.TestSupport;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.Fleet.Tests.Runner;

/// <summary>The fleet with an integration-manager fake in place of the stand-in, so a test can make it answer for the wrong tenant.</summary>
public sealed class ForeignManagerFleet : FleetHarness, IAsyncLifetime
{
    public FakeIntegrationManager Manager { get; private set; } = null!;

    protected override IEnumerable<string> ExtraArgs => [$"--services:integration_manager:url={Manager.BaseUrl}", "--sync_limits:min_interval_minutes=0"];

    async Task IAsyncLifetime.InitializeAsync()
    {
        Manager = await FakeIntegrationManager.StartAsync(TestInfrastructure.JwtSecret);
        await InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Manager.DisposeAsync();
    }
}

public sealed class ForeignIntegrationTests(ForeignManagerFleet fleet) : IClassFixture<ForeignManagerFleet>
{
    [Fact]
    public async Task A_run_whose_integration_lookup_answers_another_tenants_integration_fails_and_publishes_nothing_of_it()
    {
        var rival = Guid.NewGuid().ToString();
        var marker = $"rival-crm-{Guid.NewGuid():N}";
        var integrationId = fleet.Manager.AddIntegration(fleet.TenantId);
        // The trigger was checked; by the time the run looks its integration up, integration-manager answers the rival's,
        // with settings the sample adapter would happily read five records from.
        fleet.Manager.IntegrationBodyOverride = new JsonObject
        {
            ["id"] = integrationId, ["tenantId"] = rival, ["providerName"] = "sample", ["name"] = marker, ["status"] = "connected",
            ["settings"] = new JsonObject { ["count"] = 5, ["pageSize"] = 100, ["seed"] = 3, ["label"] = marker },
        };
        var task = await StoreTaskAsync(integrationId);
        await using var api = new TestPublisher(fleet.RabbitMqUrl, fleet.Exchange, "integration-sync-api");

        await api.PublishAsync(WorkMessages.For(task, DateTimeOffset.UtcNow), fleet.TenantId);

        var failed = await fleet.FailedAsync(task.Id);
        Assert.Equal("INTEGRATION_NOT_FOUND", failed.ErrorCode);
        Assert.Contains("another tenant", failed.Error, StringComparison.Ordinal);
        var execution = await fleet.WaitForExecutionAsync(task.Id, e => e.Status == SyncStatus.Failed);
        Assert.Equal(("INTEGRATION_NOT_FOUND", 0), (execution.ErrorCode, execution.RecordsPublished));
        var stored = await fleet.WaitForTaskAsync(task.Id, SyncStatus.Failed, FleetRuns.Wait);
        Assert.Empty(fleet.PublishedIds(task.Id));
        Assert.DoesNotContain(fleet.Wire.Messages, m => m.Envelope.Type is EventNames.DataRaw or EventNames.DataRawBatch
            && m.Envelope.TenantId is { } tenant && (tenant == fleet.TenantId || tenant == rival));
        Assert.DoesNotContain(fleet.Wire.Messages, m => Encoding.UTF8.GetString(m.Body).Contains(marker, StringComparison.Ordinal)
            || Encoding.UTF8.GetString(m.Body).Contains(rival, StringComparison.Ordinal));
        var answered = await fleet.Api.GetStringAsync($"/api/v1/sync/tasks/{task.Id}") + await fleet.Api.GetStringAsync($"/api/v1/sync/tasks/{task.Id}/executions");
        Assert.DoesNotContain(marker, answered, StringComparison.Ordinal);
        Assert.DoesNotContain(rival, answered, StringComparison.Ordinal);
        Assert.Contains("another tenant", stored["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>The task as the API stores it after its own integration check passed.</summary>
    private async Task<SyncTaskDocument> StoreTaskAsync(string integrationId)
    {
        var id = Guid.NewGuid().ToString();
        var now = IsoTime.Format(DateTimeOffset.UtcNow);
        return await new SyncTaskRepository(fleet.Database.Containers).CreateAsync(new SyncTaskDocument
        {
            Id = id, TaskId = id, TenantId = fleet.TenantId, IntegrationId = integrationId, Direction = SyncDirection.Inbound,
            Status = SyncStatus.Pending, Managed = true, CreatedAt = now, UpdatedAt = now,
        }, CancellationToken.None);
    }
}
