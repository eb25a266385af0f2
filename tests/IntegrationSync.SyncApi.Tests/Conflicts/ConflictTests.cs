using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Conflicts;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;

namespace IntegrationSync.SyncApi.Tests.Conflicts;

public sealed class ConflictTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly string _tenant = Guid.NewGuid().ToString();
    private readonly string _user = Guid.NewGuid().ToString();

    [Fact]
    public async Task Conflicts_are_listed_newest_first_and_filtered_by_resolved_and_integration()
    {
        using var client = host.ClientFor(_tenant);
        var integrationId = Guid.NewGuid().ToString();
        var at = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var openOld = await Seed.ConflictAsync(host, _tenant, integrationId, createdAt: at);
        var openNew = await Seed.ConflictAsync(host, _tenant, integrationId, createdAt: at.AddMinutes(1));
        var resolved = await Seed.ConflictAsync(host, _tenant, integrationId, resolved: true, createdAt: at.AddMinutes(2));
        await Seed.ConflictAsync(host, _tenant, createdAt: at.AddMinutes(3));

        var open = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/sync/conflicts?integrationId={integrationId}&resolved=false"));
        var done = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/sync/conflicts?integrationId={integrationId}&resolved=true"));
        var all = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/sync/conflicts?integrationId={integrationId}"));

        Assert.Equal([openNew.Id, openOld.Id], Ids(open));
        Assert.Equal([resolved.Id], Ids(done));
        Assert.Equal([resolved.Id, openNew.Id, openOld.Id], Ids(all));
    }

    [Fact]
    public async Task A_conflict_shows_its_three_versions()
    {
        using var client = host.ClientFor(_tenant);
        var seeded = await Seed.ConflictAsync(host, _tenant);

        var conflict = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/sync/conflicts/{seeded.Id}"));

        Assert.Equal(seeded.Id, conflict["conflictId"]!.GetValue<string>());
        Assert.Equal("Acme", conflict["baseVersion"]!["name"]!.GetValue<string>());
        Assert.Equal("Acme Ltd", conflict["localVersion"]!["name"]!.GetValue<string>());
        Assert.Equal("ACME Inc.", conflict["remoteVersion"]!["name"]!.GetValue<string>());
        Assert.False(conflict["resolved"]!.GetValue<bool>());
        Assert.DoesNotContain(conflict, p => p.Key.StartsWith('_'));
    }

    [Fact]
    public async Task Resolving_stores_the_choice_who_and_when_and_is_idempotent()
    {
        using var client = host.ClientFor(_tenant, _user);
        var seeded = await Seed.ConflictAsync(host, _tenant);

        var resolved = await ApiAssert.OkAsync(await client.PostAsJsonAsync($"/api/v1/sync/conflicts/{seeded.Id}/resolve", new { resolution = "target_wins" }));
        var again = await ApiAssert.OkAsync(await client.PostAsJsonAsync($"/api/v1/sync/conflicts/{seeded.Id}/resolve", new { resolution = "target_wins" }));

        Assert.True(resolved["resolved"]!.GetValue<bool>());
        Assert.Equal("target_wins", resolved["resolution"]!.GetValue<string>());
        Assert.Equal(_user, resolved["resolvedBy"]!.GetValue<string>());
        Assert.NotNull(IntegrationSync.Shared.Contracts.IsoTime.Parse(resolved["resolvedAt"]!.GetValue<string>()));
        Assert.Equal(resolved.ToJsonString(), again.ToJsonString());
        var stored = await host.Get<ConflictRepository>().ReadAsync(_tenant, seeded.Id, CancellationToken.None);
        Assert.Equal((true, "target_wins", _user), (stored!.Resolved, stored.Resolution, stored.ResolvedBy));
    }

    [Fact]
    public async Task A_custom_resolution_keeps_its_field_values()
    {
        using var client = host.ClientFor(_tenant, _user);
        var seeded = await Seed.ConflictAsync(host, _tenant);

        var resolved = await ApiAssert.OkAsync(await client.PostAsJsonAsync($"/api/v1/sync/conflicts/{seeded.Id}/resolve",
            new { resolution = "custom", fields = new { name = "Acme Holdings" } }));

        Assert.Equal("custom", resolved["resolution"]!.GetValue<string>());
        Assert.Equal("Acme Holdings", resolved["resolutionFields"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Resolving_again_with_another_choice_is_a_409()
    {
        using var client = host.ClientFor(_tenant, _user);
        var seeded = await Seed.ConflictAsync(host, _tenant);
        await ApiAssert.OkAsync(await client.PostAsJsonAsync($"/api/v1/sync/conflicts/{seeded.Id}/resolve", new { resolution = "merge" }));

        var other = await client.PostAsJsonAsync($"/api/v1/sync/conflicts/{seeded.Id}/resolve", new { resolution = "source_wins" });

        await ApiAssert.ErrorAsync(other, HttpStatusCode.Conflict, "CONFLICT_ALREADY_RESOLVED");
        var stored = await host.Get<ConflictRepository>().ReadAsync(_tenant, seeded.Id, CancellationToken.None);
        Assert.Equal("merge", stored!.Resolution);
    }

    [Fact]
    public async Task Unknown_conflicts_are_404s()
    {
        using var client = host.ClientFor(_tenant);

        await ApiAssert.ErrorAsync(await client.GetAsync($"/api/v1/sync/conflicts/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "CONFLICT_NOT_FOUND");
        await ApiAssert.ErrorAsync(await client.PostAsJsonAsync($"/api/v1/sync/conflicts/{Guid.NewGuid()}/resolve", new { resolution = "manual" }),
            HttpStatusCode.NotFound, "CONFLICT_NOT_FOUND");
    }

    [Theory]
    [InlineData("""{"resolution":"theirs"}""", "resolution")]
    [InlineData("""{}""", "resolution")]
    [InlineData("""{"resolution":3}""", "resolution")]
    [InlineData("""{"resolution":"custom"}""", "fields")]
    [InlineData("""{"resolution":"custom","fields":[1]}""", "fields")]
    [InlineData("""{"resolution":"target_wins","fields":{"a":1}}""", "fields")]
    [InlineData("""{"resolution":"merge","note":"x"}""", "note")]
    public async Task A_bad_resolution_is_a_400_and_changes_nothing(string body, string field)
    {
        using var client = host.ClientFor(_tenant);
        var seeded = await Seed.ConflictAsync(host, _tenant);

        var response = await client.PostAsync($"/api/v1/sync/conflicts/{seeded.Id}/resolve", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Contains(field, ApiAssert.Fields(await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "VALIDATION_ERROR")));
        var stored = await host.Get<ConflictRepository>().ReadAsync(_tenant, seeded.Id, CancellationToken.None);
        Assert.False(stored!.Resolved);
    }

    [Fact]
    public async Task A_choice_for_a_conflict_of_bidirectional_sync_goes_to_the_runner_and_answers_202_while_it_applies()
    {
        using var client = host.ClientFor(_tenant, _user);
        var seeded = await Seed.ConflictAsync(host, _tenant, status: ConflictStatus.Open);

        var first = await client.PostAsJsonAsync($"/api/v1/sync/conflicts/{seeded.Id}/resolve", new { resolution = "custom", fields = new { name = "Acme Group" } });
        var again = await client.PostAsJsonAsync($"/api/v1/sync/conflicts/{seeded.Id}/resolve", new { resolution = "custom", fields = new { name = "Acme Group" } });
        var other = await client.PostAsJsonAsync($"/api/v1/sync/conflicts/{seeded.Id}/resolve", new { resolution = "source_wins" });

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var body = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((ConflictStatus.Resolving, false, _user), (body["status"]!.GetValue<string>(), body["resolved"]!.GetValue<bool>(), body["resolvedBy"]!.GetValue<string>()));
        await ApiAssert.ErrorAsync(other, HttpStatusCode.Conflict, "CONFLICT_ALREADY_RESOLVED");
        await host.Wire.WaitUntilAsync(m => m.Count(w => w.Envelope.Type == EventNames.ConflictResolve
            && w.Data<ConflictResolve>().ConflictId == seeded.Id) == 2, TimeSpan.FromSeconds(10), "two resolve commands");
    }

    [Fact]
    public async Task The_answer_waits_for_the_runner_and_is_200_once_the_choice_is_applied()
    {
        using var client = host.ClientFor(_tenant, _user);
        var seeded = await Seed.ConflictAsync(host, _tenant, status: ConflictStatus.Open);
        var conflicts = host.Get<ConflictRepository>();

        var answer = client.PostAsJsonAsync($"/api/v1/sync/conflicts/{seeded.Id}/resolve", new { resolution = "target_wins" });
        await host.Wire.WaitUntilAsync(m => m.Any(w => w.Envelope.Type == EventNames.ConflictResolve && w.Data<ConflictResolve>().ConflictId == seeded.Id),
            TimeSpan.FromSeconds(10), "the resolve command");
        await conflicts.UpdateAsync(_tenant, seeded.Id, c => c with { Status = ConflictStatus.Resolved, Resolved = true, Outcome = "apply: pushed" }, CancellationToken.None);

        var applied = await ApiAssert.OkAsync(await answer);
        var again = await ApiAssert.OkAsync(await client.PostAsJsonAsync($"/api/v1/sync/conflicts/{seeded.Id}/resolve", new { resolution = "target_wins" }));

        Assert.Equal((ConflictStatus.Resolved, "apply: pushed"), (applied["status"]!.GetValue<string>(), applied["outcome"]!.GetValue<string>()));
        Assert.Equal(applied["conflictId"]!.GetValue<string>(), again["conflictId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_conflict_the_record_outran_is_a_409_naming_the_fresh_conflict()
    {
        using var client = host.ClientFor(_tenant, _user);
        var seeded = await Seed.ConflictAsync(host, _tenant, status: ConflictStatus.Superseded);
        var fresh = Guid.NewGuid().ToString();
        await host.Get<ConflictRepository>().UpdateAsync(_tenant, seeded.Id, c => c with { SupersededBy = fresh }, CancellationToken.None);

        var response = await client.PostAsJsonAsync($"/api/v1/sync/conflicts/{seeded.Id}/resolve", new { resolution = "source_wins" });

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.Conflict, "CONFLICT_STALE");
        Assert.Contains(fresh, error.ToJsonString());
    }

    [Theory]
    [InlineData("""{"resolution":"manual"}""", "resolution")]
    [InlineData("""{"resolution":"custom","fields":{"nickname":"x"}}""", "fields.nickname")]
    public async Task A_choice_that_cannot_apply_to_a_conflict_of_bidirectional_sync_is_a_400(string body, string field)
    {
        using var client = host.ClientFor(_tenant);
        var seeded = await Seed.ConflictAsync(host, _tenant, status: ConflictStatus.Open);

        var response = await client.PostAsync($"/api/v1/sync/conflicts/{seeded.Id}/resolve", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Contains(field, ApiAssert.Fields(await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "VALIDATION_ERROR")));
        Assert.Equal(ConflictStatus.Open, (await host.Get<ConflictRepository>().ReadAsync(_tenant, seeded.Id, CancellationToken.None))!.Status);
    }

    private static IEnumerable<string> Ids(JsonObject page) => page["items"]!.AsArray().Select(c => c!["conflictId"]!.GetValue<string>());
}
