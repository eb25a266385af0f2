using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Outbound;

namespace IntegrationSync.SyncRunner.Tests.Outbound;

public sealed class RemoteRecordTests
{
    private static readonly JsonObject Settings = new() { ["appId"] = "12345" };

    [Theory]
    [InlineData("""{"ChangeEventHeader":{"changeOrigin":"com/salesforce/api/rest/60.0;client=integration-sync"}}""", true)]
    [InlineData("""{"ChangeEventHeader":{"changeOrigin":"com/salesforce/api/rest/60.0;client=other-app"}}""", false)]
    [InlineData("""{"changeSource":"INTEGRATION","sourceId":"12345"}""", true)]
    [InlineData("""{"changeSource":"INTEGRATION","sourceId":"999"}""", false)]
    [InlineData("""{"changeSource":"CRM_UI","sourceId":"12345"}""", false)]
    [InlineData("""{"tag":"integration-sync"}""", true)]
    [InlineData("""{"SharedVariables":{"tag":"integration-sync"}}""", true)]
    [InlineData("""{"tag":"someone-else"}""", false)]
    [InlineData("""{"Name":"plain record"}""", false)]
    public void A_change_carrying_our_writer_tag_is_our_echo(string record, bool ours) =>
        Assert.Equal(ours, RemoteRecord.CarriesOurTag(JsonNode.Parse(record)!.AsObject(), "integration-sync", Settings));

    [Theory]
    [InlineData("W/\"7\"", "7", true)]
    [InlineData("\"7\"", "W/\"7\"", true)]
    [InlineData("2026-03-01T08:00:00.000+0000", "2026-03-01T08:00:00.000+0000", true)]
    [InlineData("\"7\"", "8", false)]
    [InlineData(null, "7", false)]
    public void A_version_is_the_same_however_the_vendor_spells_it(string? a, string b, bool same) => Assert.Equal(same, RemoteRecord.SameVersion(a, b));

    [Theory]
    [InlineData("""{"SystemModstamp":"2026-03-01T08:00:00.000+0000"}""", "{}", "2026-03-01T08:00:00+00:00")]
    [InlineData("""{"updatedAt":"2026-03-01T08:00:01.500Z"}""", "{}", "2026-03-01T08:00:01.5+00:00")]
    [InlineData("""{"modifiedon":"2026-03-01T08:00:02Z"}""", "{}", "2026-03-01T08:00:02+00:00")]
    [InlineData("""{"changed":"2026-03-01T08:00:03Z","updatedAt":"2020-01-01T00:00:00Z"}""", """{"modifiedField":"changed"}""", "2026-03-01T08:00:03+00:00")]
    public void The_modification_time_comes_from_the_vendors_field(string record, string settings, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            RemoteRecord.ModifiedAt(JsonNode.Parse(record)!.AsObject(), JsonNode.Parse(settings)!.AsObject()));
}
