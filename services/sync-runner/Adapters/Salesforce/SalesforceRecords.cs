using System.Text.Json.Nodes;

namespace IntegrationSync.SyncRunner.Adapters.Salesforce;

/// <summary>Rows as REST returns them (or as a bulk read rebuilds them) turned into records, and the deleted ones a <c>queryAll</c> returns among them.</summary>
internal static class SalesforceRecords
{
    public static SourceRecord ToRecord(JsonObject row)
    {
        var data = row.DeepClone().AsObject();
        data.Remove("attributes");
        var id = RecordIdentity.Text(data["Id"]) ?? RecordIdentity.ContentHash(data);
        return new SourceRecord(id, data, RecordIdentity.Text(data["SystemModstamp"]));
    }

    /// <summary>
    /// Rows with <c>IsDeleted = true</c> are deletions (their <c>SystemModstamp</c> is when); the others are records, without
    /// <c>IsDeleted</c> when only the search for deletions asked for it.
    /// </summary>
    public static (List<SourceRecord> Records, List<DeletedRecord> Deleted) Split(SalesforceApi api, IEnumerable<JsonObject> rows)
    {
        var records = new List<SourceRecord>();
        var deleted = new List<DeletedRecord>();
        foreach (var row in rows)
        {
            var record = ToRecord(row);
            if (record.Data["IsDeleted"]?.GetValueKind() == System.Text.Json.JsonValueKind.True)
            {
                deleted.Add(new DeletedRecord(record.ExternalId, record.Version));
                continue;
            }
            if (!api.SelectsIsDeleted)
            {
                record.Data.Remove("IsDeleted");
            }
            records.Add(record);
        }
        return (records, deleted);
    }
}
