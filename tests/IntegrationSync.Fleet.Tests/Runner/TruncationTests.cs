using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.Fleet.Tests.Runner;

public sealed class TruncationTests(SmallLimitFleet fleet) : IClassFixture<SmallLimitFleet>
{
    [Fact]
    public async Task Runs_over_the_record_limit_stop_at_it_and_the_next_runs_continue_until_every_record_went_out()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 600, pageSize: 100);
        var published = new List<HashSet<string>>();

        for (var run = 0; run < 3; run++)
        {
            var response = await fleet.Api.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId });
            var taskId = (await response.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();
            await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, TimeSpan.FromSeconds(60));
            published.Add(fleet.Wire.OfType(EventNames.DataRawBatch).Select(m => m.Data<DataRawBatch>())
                .Where(b => b.SyncTaskId == taskId).SelectMany(b => b.Records).Select(r => r.ExternalId).ToHashSet());
        }

        Assert.Equal([250, 250, 200], published.Select(p => p.Count));
        Assert.Equal(Enumerable.Range(0, 600).Select(i => $"sample-3-{i:D7}").ToHashSet(), published.SelectMany(p => p).ToHashSet());
        // The limit fell inside a page: the next run re-read that page (stated at-least-once for the page's first records).
        Assert.Contains("sample-3-0000200", published[1]);
    }
}
