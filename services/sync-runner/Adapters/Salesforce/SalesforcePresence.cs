using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters.Salesforce;

/// <summary>
/// Which records still exist, 2,000 a call: sObject Collections' retrieve with a request body
/// (<c>POST /composite/sobjects/{SObject}</c>, <c>{ids, fields: ["Id"]}</c>), which answers one entry per id, <c>null</c>
/// for a record that is deleted or was never there.
/// </summary>
public sealed partial class SalesforceAdapter : IRecordPresence
{
    public int PresenceBatch => 2000;

    public async Task<IReadOnlySet<string>> PresentAsync(
        AdapterConnection connection, string entityType, IReadOnlyList<string> externalIds, ReadMeter meter, CancellationToken cancellationToken)
    {
        var api = SalesforceApi.For(_http, connection, entityType);
        var ids = externalIds.Where(SalesforceCursor.IsRecordId).ToList();
        // An id Salesforce could not have given is not asked about, and never taken for a deletion.
        var present = externalIds.Where(id => !SalesforceCursor.IsRecordId(id)).ToHashSet();
        if (ids.Count == 0)
        {
            return present;
        }
        using var request = meter.Attach(api.Request(HttpMethod.Post, $"{api.Base}/composite/sobjects/{api.SObject}"), "presence");
        request.Content = JsonContent.Create(new JsonObject { ["ids"] = new JsonArray([.. ids.Select(id => JsonValue.Create(id))]), ["fields"] = new JsonArray("Id") });
        var body = await _http.SendForJsonAsync(request, cancellationToken) as JsonArray
            ?? throw new AdapterException(AdapterErrorKind.Permanent, "salesforce: the sObject Collections answer is not a JSON array");
        present.UnionWith(body.OfType<JsonObject>().Select(r => RecordIdentity.Text(r["Id"])).OfType<string>());
        return present;
    }
}
