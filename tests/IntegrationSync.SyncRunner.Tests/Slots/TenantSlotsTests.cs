using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.SyncRunner.Slots;
using IntegrationSync.TestSupport;

namespace IntegrationSync.SyncRunner.Tests.Slots;

public sealed class TenantSlotsTests(CosmosTestDatabase database) : IClassFixture<CosmosTestDatabase>
{
    private readonly string _tenant = Guid.NewGuid().ToString();
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private TenantSlots Slots(int limit = 1) => new(database.Containers,
        Microsoft.Extensions.Options.Options.Create(new SyncLimitsOptions { MaxConcurrentSyncsPerTenant = limit }), TimeProvider.System);

    [Fact]
    public async Task A_second_delivery_of_work_that_holds_a_slot_keeps_it_even_with_a_line_waiting()
    {
        var slots = Slots();
        Assert.True(await slots.TryAcquireAsync(_tenant, "task-a", "exec-a", Lease, force: false, CancellationToken.None));
        Assert.False(await slots.TryAcquireAsync(_tenant, "task-b", "exec-b", Lease, force: false, CancellationToken.None));

        Assert.True(await slots.TryAcquireAsync(_tenant, "task-a", "exec-a", Lease, force: false, CancellationToken.None));

        var stored = await slots.ReadAsync(_tenant, TenantSlotsDocument.IdFor(_tenant), CancellationToken.None);
        Assert.Equal(["exec-a"], stored!.Holders.Select(h => h.ExecutionId));
        Assert.Equal(["task-b"], stored.Waiting.Select(w => w.TaskId));
    }

    [Fact]
    public async Task A_renewal_never_shortens_the_longer_lease_of_the_mapping_phase()
    {
        var slots = Slots();
        await slots.TryAcquireAsync(_tenant, "task-a", "exec-a", Lease, force: false, CancellationToken.None);
        await slots.RenewAsync(_tenant, "exec-a", TimeSpan.FromHours(1), CancellationToken.None);

        await slots.RenewAsync(_tenant, "exec-a", Lease, CancellationToken.None);

        var holder = (await slots.ReadAsync(_tenant, TenantSlotsDocument.IdFor(_tenant), CancellationToken.None))!.Holders.Single();
        Assert.True(Shared.Contracts.IsoTime.Parse(holder.ExpiresAt) > DateTimeOffset.UtcNow.AddMinutes(50));
    }

    [Fact]
    public async Task Releasing_a_slot_hands_it_to_the_oldest_waiting_task()
    {
        var slots = Slots();
        await slots.TryAcquireAsync(_tenant, "task-a", "exec-a", Lease, force: false, CancellationToken.None);
        await slots.TryAcquireAsync(_tenant, "task-b", "exec-b", Lease, force: false, CancellationToken.None);
        await slots.TryAcquireAsync(_tenant, "task-c", "exec-c", Lease, force: false, CancellationToken.None);

        Assert.Equal(["task-b"], await slots.ReleaseAsync(_tenant, "exec-a", CancellationToken.None));
        Assert.False(await slots.TryAcquireAsync(_tenant, "task-c", "exec-c", Lease, force: false, CancellationToken.None));
        Assert.True(await slots.TryAcquireAsync(_tenant, "task-b", "exec-b", Lease, force: false, CancellationToken.None));
    }
}
