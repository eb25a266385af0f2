using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.Dynamics365;
using IntegrationSync.SyncRunner.Adapters.Http;
using IntegrationSync.SyncRunner.Adapters.HubSpot;
using IntegrationSync.SyncRunner.Adapters.Rest;
using IntegrationSync.SyncRunner.Adapters.Salesforce;
using IntegrationSync.TestSupport.VendorFakes;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.Bench.VendorCalls;

public sealed record Bench(ServiceProvider Adapters, ShiftedClock Clock, int Records);

/// <summary>
/// One per adapter: N records about 600 bytes each as the vendor returns them, modified one second apart over the last
/// days, read in full; then N more changed over the next 50 minutes, read from the full read's watermark an hour later
/// (the clock moved on). Calls are the requests the fake received.
/// </summary>
public static class Scenarios
{
    private static readonly DateTimeOffset Before = DateTimeOffset.UtcNow.AddDays(-3);
    private static readonly DateTimeOffset After = DateTimeOffset.UtcNow.AddMinutes(5);

    public static readonly Func<Bench, Task<ReadResult[]>>[] All =
        [SalesforceAsync, SalesforceReconciliationAsync, HubSpotAsync, HubSpotOneInstantAsync, DynamicsAsync, RestAsync];

    /// <summary>The changes spread over 50 minutes of the hour the clock moves on.</summary>
    private static DateTimeOffset Changed(Bench bench, int i) => After.AddMilliseconds((i - bench.Records) * 3_000_000.0 / bench.Records);

    private static async Task<ReadResult[]> SalesforceAsync(Bench bench)
    {
        await using var fake = await FakeSalesforce.StartAsync();
        // Salesforce's own batch: 2,000 records unless a smaller batchSize is asked for.
        fake.DefaultBatchSize = 2000;
        var connection = AdapterHost.Connection("salesforce", [], new JsonObject { ["instanceUrl"] = fake.InstanceUrl, ["accessToken"] = fake.Faults.ValidToken });
        return await MeasureAsync(bench, "salesforce", bench.Adapters.Adapter<SalesforceAdapter>(), connection, "opportunity", fake.Faults,
            (i, changed) =>
            {
                var record = fake.Add($"Deal {i}", changed ? Changed(bench, i) : Before.AddSeconds(i));
                record["AccountId"] = $"001{i:D15}";
                record["StageName"] = "Negotiation/Review";
                record["Amount"] = 12_500.0 + i;
                record["Probability"] = 70;
                record["CloseDate"] = "2027-03-31";
                record["Type"] = "Existing Customer - Upgrade";
                record["LeadSource"] = "Partner Referral";
                record["IsClosed"] = false;
                record["IsWon"] = false;
                record["ForecastCategoryName"] = "Best Case";
                record["OwnerId"] = "005000000000000AAA";
                record["CreatedDate"] = FakeSalesforce.Modstamp(Before);
                record["Description"] = AdapterHost.Text(i, 220);
            });
    }

    /// <summary>
    /// A reconciliation of N linked records after Salesforce emptied its recycle bin: each is checked at the vendor, as
    /// many a call as sObject Collections takes; 1 % of them were deleted, and every one of those is found.
    /// </summary>
    private static async Task<ReadResult[]> SalesforceReconciliationAsync(Bench bench)
    {
        await using var fake = await FakeSalesforce.StartAsync();
        var connection = AdapterHost.Connection("salesforce", [], new JsonObject { ["instanceUrl"] = fake.InstanceUrl, ["accessToken"] = fake.Faults.ValidToken });
        var ids = Enumerable.Range(0, bench.Records).Select(i => (string)fake.Add($"Deal {i}", Before.AddSeconds(i))["Id"]!).ToList();
        var deleted = ids.Where((_, i) => i % 100 == 0).ToHashSet();
        foreach (var id in deleted)
        {
            fake.Delete(id, After);
        }
        fake.EmptyRecycleBin(After);
        var adapter = bench.Adapters.Adapter<SalesforceAdapter>();
        var before = fake.Faults.Requests.Count;
        var gone = new List<string>();
        foreach (var batch in ids.Chunk(adapter.PresenceBatch))
        {
            var present = await adapter.PresentAsync(connection, "opportunity", batch, new ReadMeter(), CancellationToken.None);
            gone.AddRange(batch.Where(id => !present.Contains(id)));
        }
        if (!gone.ToHashSet().SetEquals(deleted))
        {
            throw new InvalidOperationException($"the reconciliation found {gone.Count} deleted records, not the {deleted.Count} deleted");
        }
        return [new ReadResult("salesforce", "reconcile", ids.Count, fake.Faults.Requests.Count - before)];
    }

    private static async Task<ReadResult[]> HubSpotAsync(Bench bench)
    {
        await using var fake = await FakeHubSpot.StartAsync();
        var connection = AdapterHost.Connection("hubspot", new JsonObject { ["baseUrl"] = fake.BaseUrl }, new JsonObject { ["accessToken"] = fake.Faults.ValidToken });
        return await MeasureAsync(bench, "hubspot", bench.Adapters.Adapter<HubSpotAdapter>(), connection, "deal", fake.Faults,
            (i, changed) =>
            {
                var properties = fake.Add($"Deal {i}", changed ? Changed(bench, i) : Before.AddSeconds(i))["properties"]!.AsObject();
                properties["amount"] = (12_500 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
                properties["dealstage"] = "contractsent";
                properties["pipeline"] = "default";
                properties["closedate"] = "2027-03-31T00:00:00Z";
                properties["hubspot_owner_id"] = "52346789";
                properties["dealtype"] = "existingbusiness";
                properties["description"] = AdapterHost.Text(i, 260);
            });
    }

    /// <summary>N deals modified at one instant (a bulk update): search reads the tie in id order.</summary>
    private static async Task<ReadResult[]> HubSpotOneInstantAsync(Bench bench)
    {
        await using var fake = await FakeHubSpot.StartAsync();
        fake.TiesInReverse = true;
        var connection = AdapterHost.Connection("hubspot", new JsonObject { ["baseUrl"] = fake.BaseUrl }, new JsonObject { ["accessToken"] = fake.Faults.ValidToken });
        for (var i = 0; i < bench.Records; i++)
        {
            fake.Add($"Deal {i}", Before)["properties"]!["description"] = AdapterHost.Text(i, 260);
        }
        var (records, _) = await bench.Adapters.Adapter<HubSpotAdapter>().ReadAllAsync(connection, "deal", null);
        return [new ReadResult("hubspot", "one instant", records, fake.Faults.Requests.Count)];
    }

    private static async Task<ReadResult[]> DynamicsAsync(Bench bench)
    {
        await using var fake = await FakeDynamics.StartAsync();
        var connection = AdapterHost.Connection("dynamics365", new JsonObject { ["environmentUrl"] = fake.EnvironmentUrl }, new JsonObject { ["accessToken"] = fake.Faults.ValidToken });
        return await MeasureAsync(bench, "dynamics365", bench.Adapters.Adapter<Dynamics365Adapter>(), connection, "account", fake.Faults,
            (i, changed) =>
            {
                var account = fake.Add($"Account {i}", changed ? Changed(bench, i) : Before.AddSeconds(i));
                account["accountnumber"] = $"AC-{i:D8}";
                account["telephone1"] = "+1 425 555 0100";
                account["address1_city"] = "Redmond";
                account["address1_country"] = "United States";
                account["revenue"] = 1_250_000.0 + i;
                account["numberofemployees"] = 250;
                account["industrycode"] = 7;
                account["_ownerid_value"] = "7d577253-3ef0-4a0a-bb7f-8335c2596e70";
                account["description"] = AdapterHost.Text(i, 220);
            });
    }

    private static async Task<ReadResult[]> RestAsync(Bench bench)
    {
        await using var fake = await FakeRestApi.StartAsync();
        fake.PageSize = 100;
        var connection = AdapterHost.Connection("rest",
            new JsonObject { ["url"] = $"{fake.BaseUrl}/cursor/items", ["recordsPath"] = "data.items", ["paging"] = "cursor", ["cursorPath"] = "meta.next", ["cursorParam"] = "after", ["authHeader"] = "X-Api-Key", ["authScheme"] = "" },
            new JsonObject { ["apiKey"] = fake.Faults.ValidToken });
        return await MeasureAsync(bench, "rest", bench.Adapters.Adapter<RestAdapter>(), connection, "item", fake.Faults,
            (i, _) => fake.Add(new JsonObject { ["name"] = $"Item {i}", ["status"] = "active", ["owner"] = "ops", ["notes"] = AdapterHost.Text(i, 420) }));
    }

    private static async Task<ReadResult[]> MeasureAsync(
        Bench bench, string name, ISyncAdapter adapter, AdapterConnection connection, string entityType, FaultPlan faults, Action<int, bool> add)
    {
        bench.Clock.Offset = TimeSpan.Zero;
        for (var i = 0; i < bench.Records; i++)
        {
            add(i, false);
        }
        var before = faults.Requests.Count;
        var (fullRecords, watermark) = await adapter.ReadAllAsync(connection, entityType, null);
        var full = new ReadResult(name, "full", fullRecords, faults.Requests.Count - before);

        for (var i = 0; i < bench.Records; i++)
        {
            add(bench.Records + i, true);
        }
        bench.Clock.Offset = TimeSpan.FromHours(1);
        before = faults.Requests.Count;
        var (changedRecords, _) = await adapter.ReadAllAsync(connection, entityType, watermark);
        var incremental = new ReadResult(name, "incremental", changedRecords, faults.Requests.Count - before);
        return [full, incremental];
    }
}
