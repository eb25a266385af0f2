using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.Salesforce;

namespace IntegrationSync.SyncRunner.Tests.Adapters.Salesforce;

public sealed class BulkCsvAndPlanTests
{
    private static readonly SObjectField[] Account =
    [
        new("Id", "id", false, null), new("Name", "string", false, null), new("BillingStreet", "textarea", false, "BillingAddress"),
        new("BillingCity", "string", false, "BillingAddress"), new("BillingLatitude", "double", false, "BillingAddress"),
        new("BillingAddress", "address", false, null), new("NumberOfEmployees", "int", false, null), new("IsPartner", "boolean", false, null),
        new("SystemModstamp", "datetime", false, null), new("Logo__c", "base64", true, null), new("Tier__c", "picklist", true, null),
    ];

    [Fact]
    public void Quoted_fields_keep_commas_quotes_and_line_breaks_and_an_empty_field_is_empty()
    {
        var rows = BulkCsv.Parse("\"Id\",\"Name\",\"Note\"\r\n\"001\",\"Acme, \"\"the\"\" one\",\"a\nb\"\n\"002\",,\"\"\n");

        Assert.Equal([["Id", "Name", "Note"], ["001", "Acme, \"the\" one", "a\nb"], ["002", "", ""]], rows);
    }

    [Fact]
    public void A_page_that_ends_inside_a_quoted_field_is_a_truncated_response()
    {
        var error = Assert.Throws<AdapterException>(() => BulkCsv.Parse("\"Id\",\"Name\"\n\"001\",\"Acme"));

        Assert.Equal(AdapterErrorKind.Transient, error.Kind);
    }

    [Fact]
    public void A_compound_field_is_read_through_its_components_and_rebuilt_as_REST_returns_it()
    {
        var plan = BulkPlan.For(Account, ["Id", "SystemModstamp", "BillingAddress", "NumberOfEmployees", "IsPartner"], withIsDeleted: false)!;

        var record = plan.ToRecord([.. plan.Columns], [.. plan.Columns.Select(c => c switch
        {
            "Id" => "001A",
            "SystemModstamp" => "2026-03-01T08:00:00.000Z",
            "BillingStreet" => "1 Main St",
            "BillingLatitude" => "47.6",
            "NumberOfEmployees" => "250",
            "IsPartner" => "true",
            _ => "",
        })]);

        Assert.Equal(["Id", "SystemModstamp", "BillingStreet", "BillingCity", "BillingLatitude", "NumberOfEmployees", "IsPartner"], plan.Columns);
        var expected = JsonNode.Parse("""
            {"Id":"001A","SystemModstamp":"2026-03-01T08:00:00.000+0000","NumberOfEmployees":250,"IsPartner":true,
             "BillingAddress":{"street":"1 Main St","city":null,"latitude":47.6}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, record), record.ToJsonString());
    }

    [Fact]
    public void FIELDS_STANDARD_becomes_the_described_standard_fields_and_a_base64_field_keeps_the_read_on_REST()
    {
        var standard = BulkPlan.For(Account, ["FIELDS(STANDARD)"], withIsDeleted: false)!;
        var withLogo = BulkPlan.For(Account, ["Id", "Logo__c"], withIsDeleted: false);

        Assert.DoesNotContain("Tier__c", standard.Columns);
        Assert.Contains("BillingCity", standard.Columns);
        Assert.DoesNotContain("BillingAddress", standard.Columns);
        Assert.Null(withLogo);
    }

    [Fact]
    public void A_rows_size_is_estimated_from_the_REST_record_for_the_plans_columns()
    {
        var plan = BulkPlan.For(Account, ["Id", "Name"], withIsDeleted: false)!;

        Assert.Equal(1 + (3 + 4) + (3 + 5), plan.RowBytes(new JsonObject { ["Id"] = "001A", ["Name"] = "Acmé", ["Other"] = "ignored" }));
    }

    [Theory]
    [InlineData("2026-03-01T08:00:00.000Z|006000000000001")]
    [InlineData("2026-03-01T08:00:00.000Z|006000000000001|full")]
    [InlineData("bulk|queryAll|750000000000000001|MjAw|2026-03-01T08:00:00.000Z|006000000000001")]
    [InlineData("bulk|query|750000000000000001||2026-03-01T08:00:00.000Z|006000000000001")]
    public void A_cursor_reads_back_as_written(string cursor) => Assert.Equal(cursor, SalesforceCursor.Decode(cursor)!.Encode());

    [Theory]
    [InlineData("bulk|delete|750000000000000001|MjAw|2026-03-01T08:00:00.000Z|006000000000001")]
    [InlineData("bulk|query|750'|MjAw|2026-03-01T08:00:00.000Z|006000000000001")]
    [InlineData("2026-03-01T08:00:00.000Z|006000000000001|partial")]
    public void A_cursor_that_is_not_one_of_ours_is_refused(string cursor) =>
        Assert.Equal(AdapterErrorKind.Permanent, Assert.Throws<AdapterException>(() => SalesforceCursor.Decode(cursor)).Kind);
}
