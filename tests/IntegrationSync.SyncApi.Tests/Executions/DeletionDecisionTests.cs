using System.Net;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.SyncApi.Tests.Executions;

/// <summary><c>POST /executions/{id}/deletions/approve|reject</c>: a decision on the deletions the mass-delete guard held, stored, then sent to the runner.</summary>
public sealed class DeletionDecisionTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly string _tenant = Guid.NewGuid().ToString();

    [Fact]
    public async Task Approving_held_deletions_stores_the_decision_and_sends_it_to_the_runner_and_the_same_decision_again_is_harmless()
    {
        using var client = host.ClientFor(_tenant);
        var execution = await HeldAsync(new ExecutionDeletions(40, null, Held: 40, Approval: ExecutionDeletions.Pending));

        var first = await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/sync/executions/{execution.Id}/deletions/approve", null), HttpStatusCode.Accepted);
        var again = await client.PostAsync($"/api/v1/sync/executions/{execution.Id}/deletions/approve", null);

        Assert.Equal((ExecutionDeletions.Approved, 40, 0), ((string?)first["deletions"]!["approval"], (int)first["deletions"]!["held"]!,
            (int)first["statistics"]!["recordsDeleted"]!));
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(ExecutionDeletions.Approved, (await host.Get<ExecutionRepository>().ReadAsync(_tenant, execution.Id, CancellationToken.None))!.Deletions!.Approval);
        await host.Wire.WaitUntilAsync(m => m.Count(w => w.Envelope.Type == EventNames.DeletionsDecided
            && w.Data<DeletionsDecided>() is { Decision: DeletionsDecided.Approve } d && d.ExecutionId == execution.Id) == 2, TimeSpan.FromSeconds(10),
            "two decisions sent");
    }

    [Fact]
    public async Task The_other_decision_once_decided_is_a_409_and_nothing_is_sent()
    {
        using var client = host.ClientFor(_tenant);
        var execution = await HeldAsync(new ExecutionDeletions(60, null, Held: 60, Approval: ExecutionDeletions.Rejected, DecidedAt: "2026-12-04T00:00:00.000Z"));

        await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/sync/executions/{execution.Id}/deletions/approve", null), HttpStatusCode.Conflict,
            "DELETIONS_ALREADY_DECIDED");
        Assert.Equal(ExecutionDeletions.Rejected, (await host.Get<ExecutionRepository>().ReadAsync(_tenant, execution.Id, CancellationToken.None))!.Deletions!.Approval);
    }

    [Theory]
    [InlineData("approve")]
    [InlineData("reject")]
    public async Task An_execution_that_holds_no_deletions_is_a_409_and_an_unknown_one_a_404(string decision)
    {
        using var client = host.ClientFor(_tenant);
        var none = await HeldAsync(null);
        var applied = await HeldAsync(new ExecutionDeletions(3, null, Propagated: 3));

        await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/sync/executions/{none.Id}/deletions/{decision}", null), HttpStatusCode.Conflict, "DELETIONS_NOT_HELD");
        await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/sync/executions/{applied.Id}/deletions/{decision}", null), HttpStatusCode.Conflict, "DELETIONS_NOT_HELD");
        await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/sync/executions/{Guid.NewGuid()}/deletions/{decision}", null), HttpStatusCode.NotFound,
            "EXECUTION_NOT_FOUND");
        Assert.DoesNotContain(host.Wire.Messages, w => w.Envelope.Type == EventNames.DeletionsDecided && w.Data<DeletionsDecided>().ExecutionId is var id
            && (id == none.Id || id == applied.Id));
    }

    [Fact]
    public async Task Another_tenant_cannot_decide_on_held_deletions()
    {
        using var other = host.ClientFor(Guid.NewGuid().ToString());
        var execution = await HeldAsync(new ExecutionDeletions(40, null, Held: 40, Approval: ExecutionDeletions.Pending));

        await ApiAssert.ErrorAsync(await other.PostAsync($"/api/v1/sync/executions/{execution.Id}/deletions/approve", null), HttpStatusCode.NotFound,
            "EXECUTION_NOT_FOUND");
        Assert.Equal(ExecutionDeletions.Pending, (await host.Get<ExecutionRepository>().ReadAsync(_tenant, execution.Id, CancellationToken.None))!.Deletions!.Approval);
    }

    private async Task<ExecutionDocument> HeldAsync(ExecutionDeletions? deletions)
    {
        var seeded = await Seed.ExecutionAsync(host, _tenant, Guid.NewGuid().ToString(), DateTimeOffset.UtcNow);
        return (await host.Get<ExecutionRepository>().UpdateAsync(_tenant, seeded.Id, e => e with { Deletions = deletions }, CancellationToken.None))!;
    }
}
