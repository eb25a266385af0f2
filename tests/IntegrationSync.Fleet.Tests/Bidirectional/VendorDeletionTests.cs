using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Fleet.Tests.Runner;
using IntegrationSync.Fleet.Tests.Runner.Vendors;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Sync;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.Fleet.Tests.Bidirectional;

/// <summary>
/// Records deleted at the vendor reach their shards (shard-manager's soft delete, found through the link the fleet learnt
/// from <c>shard.created</c>), counted as <c>recordsDeleted</c>; a mass deletion waits for a person (the fleet holds 3 or
/// more deletions above a tenth of the integration's records); deletions Salesforce no longer keeps are found by a
/// reconciliation; a deleted message goes to its processor flagged.
/// </summary>
[Collection(BidirectionalFleet.Collection)]
public sealed class VendorDeletionTests(BidirectionalFleet fleet)
{
    [Theory]
    [InlineData("inbound")]
    [InlineData("bidirectional")]
    public async Task A_record_deleted_at_the_vendor_deletes_its_shard_on_the_next_pull_and_nothing_is_pushed_back(string direction)
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        var ids = salesforce.Seed(12);
        var integrationId = await fleet.AddSalesforceAsync(salesforce, "target_wins", writeBack: new JsonObject { ["allowDeletes"] = true }, direction: direction);
        await fleet.PullAsync(integrationId);
        var shardId = (string)(await fleet.ShardOfAsync(integrationId, ids[0]))["id"]!;
        await FleetRuns.EventuallyAsync(() => fleet.RecordAsync(integrationId, ids[0]).Result?.ShardId == shardId, "the record's link to its shard");

        salesforce.Delete(ids[0], DateTimeOffset.UtcNow);
        var execution = await fleet.PullAsync(integrationId);

        Assert.Equal(("deleted", 1, 1, 0), ((string?)(await fleet.ShardOfAsync(integrationId, ids[0]))["status"], execution.Deletions!.Detected,
            execution.Deletions.Propagated, execution.Deletions.Held));
        Assert.Equal(Tombstone.External, (await fleet.RecordAsync(integrationId, ids[0]))!.Deleted?.Side);
        Assert.All(ids.Skip(1), id => Assert.NotEqual("deleted", (string?)fleet.ShardOfAsync(integrationId, id).Result["status"]));
        var shown = await ApiExecutionAsync(execution.ExecutionId);
        Assert.Equal((1, 1), ((int)shown["statistics"]!["recordsDeleted"]!, (int)shown["deletions"]!["deleted"]!));
        // Our own deletion's shard.deleted is an echo: the vendor is not written to.
        Assert.Equal(0, salesforce.Writes);
    }

    [Fact]
    public async Task A_mass_deletion_is_held_until_a_person_approves_it_then_the_shards_are_deleted()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        var (integrationId, ids) = await LinkedAsync(salesforce, 6);

        var execution = await PullAfterDeletingAsync(salesforce, integrationId, ids.Take(4));

        Assert.Equal((4, 0, 4, ExecutionDeletions.Pending), (execution.Deletions!.Detected, execution.Deletions.Propagated, execution.Deletions.Held,
            execution.Deletions.Approval));
        Assert.All(ids, id => Assert.NotEqual("deleted", (string?)fleet.ShardOfAsync(integrationId, id).Result["status"]));

        var approved = await fleet.Api.PostAsync($"/api/v1/sync/executions/{execution.ExecutionId}/deletions/approve", null);
        Assert.Equal(HttpStatusCode.Accepted, approved.StatusCode);

        await FleetRuns.EventuallyAsync(() => ids.Take(4).All(id => (string?)fleet.ShardOfAsync(integrationId, id).Result["status"] == "deleted"),
            "the approved deletions applied");
        await FleetRuns.EventuallyAsync(() => ApiExecutionAsync(execution.ExecutionId).Result["statistics"]!["recordsDeleted"]!.GetValue<int>() == 4,
            "recordsDeleted counted");
        Assert.All(ids.Skip(4), id => Assert.NotEqual("deleted", (string?)fleet.ShardOfAsync(integrationId, id).Result["status"]));
        var again = await fleet.Api.PostAsync($"/api/v1/sync/executions/{execution.ExecutionId}/deletions/reject", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Rejected_mass_deletions_leave_every_shard_and_clear_their_marks()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        var (integrationId, ids) = await LinkedAsync(salesforce, 5);

        var execution = await PullAfterDeletingAsync(salesforce, integrationId, ids.Take(3));
        Assert.Equal(3, execution.Deletions!.Held);

        Assert.Equal(HttpStatusCode.Accepted, (await fleet.Api.PostAsync($"/api/v1/sync/executions/{execution.ExecutionId}/deletions/reject", null)).StatusCode);

        await FleetRuns.EventuallyAsync(() => ids.Take(3).All(id => fleet.RecordAsync(integrationId, id).Result?.Deleting is null), "the marks let go");
        Assert.All(ids, id => Assert.NotEqual("deleted", (string?)fleet.ShardOfAsync(integrationId, id).Result["status"]));
        Assert.Equal(ExecutionDeletions.Rejected, (string?)(await ApiExecutionAsync(execution.ExecutionId))["deletions"]!["approval"]);
    }

    [Fact]
    public async Task Records_mapped_before_links_were_learnt_are_linked_from_shard_managers_listing_when_a_deletion_needs_them()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        var (integrationId, ids) = await LinkedAsync(salesforce, 6);
        foreach (var id in ids)
        {
            // As the records of a fleet that learnt no links: the state knows no shard.
            await fleet.Records.UpdateAsync(fleet.TenantId, SyncRecordDocument.IdFor(fleet.TenantId, integrationId, "opportunity", id),
                r => r with { ShardId = null }, CancellationToken.None);
        }

        var execution = await PullAfterDeletingAsync(salesforce, integrationId, ids.Take(1));

        Assert.Equal((1, 1, 0), (execution.Deletions!.Detected, execution.Deletions.Propagated, execution.Deletions.Unlinked));
        Assert.Equal("deleted", (string?)(await fleet.ShardOfAsync(integrationId, ids[0]))["status"]);
        foreach (var id in ids.Skip(1))
        {
            Assert.Equal((string)(await fleet.ShardOfAsync(integrationId, id))["id"]!, (await fleet.RecordAsync(integrationId, id))!.ShardId);
        }
    }

    [Fact]
    public async Task Deletions_Salesforce_no_longer_keeps_are_found_by_a_reconciliation_with_the_vendor()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        var recent = DateTimeOffset.UtcNow.AddHours(-2);
        var ids = Enumerable.Range(0, 30).Select(i => (string)salesforce.Add($"Deal {i}", recent.AddSeconds(i))["Id"]!).ToList();
        var integrationId = await fleet.AddSalesforceAsync(salesforce, "target_wins", direction: "inbound");
        await fleet.PullAsync(integrationId);
        await FleetRuns.EventuallyAsync(() => ids.All(id => fleet.RecordAsync(integrationId, id).Result?.ShardId is not null), "every record linked");

        // Mapped before links were learnt: the reconciliation links it from shard-manager's listing first.
        await fleet.Records.UpdateAsync(fleet.TenantId, SyncRecordDocument.IdFor(fleet.TenantId, integrationId, "opportunity", ids[7]),
            r => r with { ShardId = null }, CancellationToken.None);
        // Deleted, then gone from the recycle bin: queryAll no longer returns it, getDeleted says so.
        salesforce.Delete(ids[7], DateTimeOffset.UtcNow);
        salesforce.EmptyRecycleBin(DateTimeOffset.UtcNow);
        var presenceCalls = salesforce.PresenceCalls;
        var execution = await fleet.PullAsync(integrationId);

        Assert.NotNull(execution.Deletions!.Missed);
        Assert.Equal((0, 1, false, 1), (execution.Deletions.Detected, execution.Deletions.Reconciled, execution.Deletions.Reconciling, execution.Deletions.Propagated));
        Assert.Equal(1, salesforce.PresenceCalls - presenceCalls);
        Assert.Equal("deleted", (string?)(await fleet.ShardOfAsync(integrationId, ids[7]))["status"]);
        Assert.All(ids.Where(id => id != ids[7]), id => Assert.NotEqual("deleted", (string?)fleet.ShardOfAsync(integrationId, id).Result["status"]));
    }

    [Fact]
    public async Task A_message_the_vendor_shows_deleted_goes_to_its_processor_again_with_isDeleted_and_deletedAt()
    {
        await using var vendor = await FakeRestApi.StartAsync();
        vendor.Faults.ValidToken = "rest-key";
        var live = vendor.Add(new JsonObject { ["channelId"] = "C1", ["text"] = "hello", ["sentAt"] = "2026-12-01T10:00:00Z" });
        var gone = vendor.Add(new JsonObject
        {
            ["channelId"] = "C1", ["text"] = "oops", ["sentAt"] = "2026-12-01T10:01:00Z", ["removedAt"] = "2026-12-01T10:05:00Z",
        });
        var secret = $"rest-{Guid.NewGuid():N}";
        await fleet.SetSecretAsync(secret, new JsonObject { ["apiKey"] = "rest-key" });
        var integrationId = await fleet.AddIntegrationAsync("rest", new JsonObject
        {
            ["url"] = $"{vendor.BaseUrl}/cursor/items", ["authHeader"] = "X-Api-Key", ["authScheme"] = "", ["recordsPath"] = "data.items",
            ["paging"] = "cursor", ["cursorParam"] = "after", ["cursorPath"] = "meta.next", ["deletedField"] = "removedAt",
        }, secret);

        var taskId = await FleetRuns.TriggerAsync(fleet, integrationId, "message");
        await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);

        var messages = fleet.Wire.OfType(EventNames.MessageReceived).Select(m => m.Data<MessageReceived>()).Where(m => m.SyncTaskId == taskId).ToList();
        var deleted = messages.Single(m => m.ExternalId == (string)gone["id"]!);
        Assert.Equal((true, "2026-12-01T10:05:00Z"), (deleted.IsDeleted, deleted.DeletedAt));
        Assert.Null(messages.Single(m => m.ExternalId == (string)live["id"]!).IsDeleted);
        var execution = await fleet.ExecutionAsync(taskId);
        Assert.Equal((1, 1, 0), (execution.Deletions!.Detected, execution.Deletions.Propagated, execution.Deletions.Unlinked));
    }

    /// <summary>An inbound-only integration with <paramref name="count"/> records pulled, each linked to its shard.</summary>
    private async Task<(string IntegrationId, List<string> Ids)> LinkedAsync(FakeSalesforce salesforce, int count)
    {
        var ids = salesforce.Seed(count);
        var integrationId = await fleet.AddSalesforceAsync(salesforce, "target_wins", direction: "inbound");
        await fleet.PullAsync(integrationId);
        await FleetRuns.EventuallyAsync(() => ids.All(id => fleet.RecordAsync(integrationId, id).Result?.ShardId is not null), "every record linked");
        return (integrationId, ids);
    }

    private async Task<ExecutionDocument> PullAfterDeletingAsync(FakeSalesforce salesforce, string integrationId, IEnumerable<string> deleted)
    {
        foreach (var id in deleted)
        {
            salesforce.Delete(id, DateTimeOffset.UtcNow);
        }
        return await fleet.PullAsync(integrationId);
    }

    private async Task<JsonObject> ApiExecutionAsync(string executionId) =>
        (await fleet.Api.GetFromJsonAsync<JsonObject>($"/api/v1/sync/executions/{executionId}"))!;
}
